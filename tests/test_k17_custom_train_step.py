"""Kata 17: a GradientTape training step that respects frozen layers."""
import keras
import numpy as np

from dojo.checks import agree, expect, expect_moved_exactly, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k17_custom_train_step/ that break only it.
REQUIREMENTS = {
    "compute the loss inside a tf.GradientTape": (
        "test_one_step_with_sgd_trains_every_trainable_layer_in_training_mode",
        ["calls_the_model_outside_the_tape"]),
    "call the model with training=True": (
        "test_one_step_with_sgd_trains_every_trainable_layer_in_training_mode",
        ["forgets_training_true"]),
    "ONE step: the model runs once in training mode, the optimizer applies one update": (
        "test_one_step_with_sgd_trains_every_trainable_layer_in_training_mode",
        ["runs_the_model_twice_in_training_mode"]),
    "gradients of model.trainable_variables only: frozen layers, nested ones too, stay put": (
        "test_steps_with_a_new_adam_leave_a_frozen_base_bit_identical",
        ["differentiates_model_weights"]),
    "apply them with the given optimizer, a new unbuilt one included": (
        "test_steps_with_a_new_adam_leave_a_frozen_base_bit_identical", ["applies_sgd_by_hand"]),
    "return the loss computed before the update": (
        "test_one_step_with_sgd_trains_every_trainable_layer_in_training_mode",
        ["returns_the_loss_after_the_step"]),
    "return it as a Python float": (
        "test_one_step_with_sgd_trains_every_trainable_layer_in_training_mode",
        ["returns_a_tensor"]),
}

BN_MOMENTUM = 0.99  # BatchNormalization's default: moving = moving * 0.99 + batch statistic * 0.01


def data(n=32, seed=0):
    """Inputs with a mean far from 0, so a BatchNormalization layer in training mode visibly moves
    its moving statistics; targets a smooth function of the inputs."""
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(n, 4)) * 3 + 5).astype("float32")
    y = np.tanh(x @ rng.normal(size=(4, 1)) / 8).astype("float32")
    return x, y


def model_with_batch_norm():
    """layers: bn, dense_1, dense_2, out."""
    layers = keras.layers
    return keras.Sequential([
        keras.Input((4,)),
        layers.BatchNormalization(name="bn"),
        layers.Dense(8, activation="tanh", name="dense_1"),
        layers.Dense(8, activation="tanh", name="dense_2"),
        layers.Dense(1, name="out"),
    ], name="model")


def model_with_nested_base():
    """Input -> base (base_dense, base_bn) -> top -> head: a pretrained base under a new top."""
    layers = keras.layers
    base = keras.Sequential([
        keras.Input((4,)),
        layers.Dense(8, activation="tanh", name="base_dense"),
        layers.BatchNormalization(name="base_bn"),
    ], name="base")
    inputs = keras.Input((4,))
    hidden = layers.Dense(8, activation="tanh", name="top")(base(inputs))
    return keras.Model(inputs, layers.Dense(1, name="head")(hidden), name="model"), base


def iterations_of(optimizer) -> int:
    return int(keras.ops.convert_to_numpy(optimizer.iterations))


def check_returned_loss(result, reference):
    expect(isinstance(result, float),
           f"train_step must return the loss as a Python float (for example float(loss)), got "
           f"{type(result).__name__}: {result!r}")
    expect(agree(result, reference),
           f"train_step returned {result:.6f}, but loss_fn(y, model(x, training=True)) before the "
           f"step was {reference:.6f}: return the loss the gradients were computed from")


def test_one_step_with_sgd_trains_every_trainable_layer_in_training_mode(kata):
    model = model_with_batch_norm()
    model.get_layer("dense_1").trainable = False
    x, y = data()
    loss_fn = keras.losses.MeanSquaredError()
    optimizer = keras.optimizers.SGD(0.1)
    reference = float(loss_fn(y, model(x, training=True)))
    bn = model.get_layer("bn")
    moving_mean = np.array(bn.moving_mean.numpy(), dtype="float64")
    before = snapshot(model)

    result = kata.train_step(model, optimizer, loss_fn, x, y)

    expect_moved_exactly(before, should_move=[bn, model.get_layer("dense_2"), model.get_layer("out")],
                         during="train_step()")
    changes = before.changes()
    expect(changes[id(bn.moving_mean)] != 0.0 and changes[id(bn.moving_variance)] != 0.0,
           "layer 'bn' is trainable, so a training step should update its moving_mean and "
           "moving_variance, but they did not change: call the model with training=True inside "
           "the step (model(x) runs it in inference mode)")
    # 'bn' is the first layer: its batch statistics are those of x itself (mean about 5, while
    # the moving mean is near 0), so a second update would move it about twice as far.
    once = BN_MOMENTUM * moving_mean + (1 - BN_MOMENTUM) * x.mean(axis=0, dtype="float64")
    got = np.asarray(bn.moving_mean.numpy(), dtype="float64")
    expect(agree(got, once),
           f"one training step should update the moving_mean of layer 'bn' once "
           f"(moving_mean * {BN_MOMENTUM} + batch mean * {1 - BN_MOMENTUM:.2f}), but it is "
           f"{np.round(got, 4).tolist()} where one update gives {np.round(once, 4).tolist()}: "
           f"the step ran the model in training mode more than once. Run it once, inside the tape, "
           f"and take the returned loss from that same call")
    expect(iterations_of(optimizer) == 1,
           f"the optimizer passed to train_step should have applied exactly one update, but its "
           f"iterations count is {iterations_of(optimizer)}: apply the gradients with "
           f"optimizer.apply_gradients(...)")
    check_returned_loss(result, reference)


def test_steps_with_a_new_adam_leave_a_frozen_base_bit_identical(kata):
    model, base = model_with_nested_base()
    base.trainable = False  # its BatchNormalization runs in inference mode and must not move
    x, y = data(seed=1)
    loss_fn = keras.losses.MeanAbsoluteError()
    optimizer = keras.optimizers.Adam(1e-2)  # new: built on its first apply_gradients
    reference = float(loss_fn(y, model(x, training=True)))
    before = snapshot(model)

    result = kata.train_step(model, optimizer, loss_fn, x, y)
    check_returned_loss(result, reference)
    for _ in range(2):
        kata.train_step(model, optimizer, loss_fn, x, y)

    expect_moved_exactly(before, should_move=[model.get_layer("top"), model.get_layer("head")],
                         during="three calls of train_step()")
    expect(iterations_of(optimizer) == 3,
           f"after three calls of train_step the optimizer should have applied three updates, but "
           f"its iterations count is {iterations_of(optimizer)}")
