"""Kata 21: one fit(), two learning rates: step sizes measured after one step."""
import keras
import numpy as np
import tensorflow as tf

from dojo.checks import expect, leaf_layers, qualified_names

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k21_discriminative_learning_rates/ that break only
# it.
REQUIREMENTS = {
    "the base's variables (by object) train at base_lr, every other trainable one at head_lr": (
        "test_sgd_steps_are_base_lr_and_head_lr_times_the_gradient",
        ["one_learning_rate", "swaps_the_rates", "head_is_the_last_layer_only",
         "maps_optimizers_by_variable_path", "groups_by_base_trainable_weights"]),
    "each group's optimizer is built from the optimizer class given (Adam by default)": (
        "test_adam_moves_each_group_by_its_own_learning_rate",
        ["ignores_the_optimizer_class", "scales_the_base_gradients"]),
    "layers frozen when the function is called stay bit-identical": (
        "test_adam_moves_each_group_by_its_own_learning_rate",
        ["updates_frozen_base_layers", "updates_frozen_head_layers"]),
    "compile with the loss given": (
        "test_sgd_steps_are_base_lr_and_head_lr_times_the_gradient", ["ignores_the_loss"]),
    "return model compiled, or a wrapper whose fit() trains model's variables": (
        "test_sgd_steps_are_base_lr_and_head_lr_times_the_gradient", ["trains_a_copy"]),
}

INPUT_DIM = 8
N = 32


def data(seed=21):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, INPUT_DIM)).astype("float32")
    y = np.tanh(x @ rng.normal(size=(INPUT_DIM, 1)) / np.sqrt(INPUT_DIM)).astype("float32")
    return x, y


def model_with_base(kind="sequential"):
    """A 'pretrained' base of three Dense layers, Sequential or functional, and a two-layer head:
    returns (model, base). A functional base's variable paths do not start with its name
    ("base_1/kernel"), a Sequential base's do ("base/base_1/kernel")."""
    layers = [keras.layers.Dense(6, activation="tanh", name="base_1"),
              keras.layers.Dense(6, activation="tanh", name="base_2"),
              keras.layers.Dense(4, activation="tanh", name="base_3")]
    if kind == "sequential":
        base = keras.Sequential([keras.Input((INPUT_DIM,)), *layers], name="base")
    else:
        base_inputs = h = keras.Input((INPUT_DIM,))
        for layer in layers:
            h = layer(h)
        base = keras.Model(base_inputs, h, name="base")
    inputs = keras.Input((INPUT_DIM,))
    h = keras.layers.Dense(4, activation="tanh", name="head_hidden")(base(inputs))
    outputs = keras.layers.Dense(1, name="head_out")(h)
    return keras.Model(inputs, outputs, name="model"), base


def gradients(model, x, y, loss):
    """id(variable) -> the gradient of `loss` for one full batch, before any step."""
    variables = model.trainable_variables
    with tf.GradientTape() as tape:
        value = keras.losses.get(loss)(y, model(x, training=True))
        value = keras.ops.mean(value)
    return {id(v): np.asarray(g) for v, g in zip(variables, tape.gradient(value, variables))}


def one_step(kata, model, base, base_lr, head_lr, **kwargs):
    """Compile with the kata (kwargs: loss, optimizer, or neither for the defaults), take one fit()
    step on one full batch; return (where, group, expected rate, gradient, change, id) per
    trained variable, after checking that every variable frozen beforehand stayed bit-identical."""
    x, y = data()
    grads = gradients(model, x, y, kwargs.get("loss", "mse"))
    before = {id(v): np.array(v.numpy(), copy=True) for v in model.weights}

    trainer = kata.compile_with_two_learning_rates(model, base, base_lr, head_lr, **kwargs)
    expect(isinstance(trainer, keras.Model),
           f"compile_with_two_learning_rates must return the model to call fit() on (model "
           f"itself, compiled, or a model wrapping it), got {trainer!r}")
    expect(getattr(trainer, "optimizer", None) is not None,
           "the model returned by compile_with_two_learning_rates is not compiled: compile it "
           "before returning it")
    trainer.fit(x, y, batch_size=N, epochs=1, shuffle=False, verbose=0)

    expect(any(not np.array_equal(v.numpy(), before[id(v)]) for v in model.weights),
           "fit() on the model that compile_with_two_learning_rates returned did not change a "
           "single weight of `model`: return `model` itself, compiled, or a model that calls it "
           "(and so trains its variables), not a copy")
    names = qualified_names(model)
    base_ids = {id(v) for v in base.weights}
    steps = []  # (where, group, expected rate, gradient, change, id of the variable)
    for layer in leaf_layers(model):
        for v in layer.weights:
            where = f"the {v.name} of layer '{names[id(layer)]}'"
            change = v.numpy() - before[id(v)]
            if id(v) not in grads:
                moved = float(np.abs(change).max())
                expect(moved == 0.0,
                       f"layer '{names[id(layer)]}' was frozen before the call and should stay "
                       f"bit-identical, but its {v.name} moved by {moved:.1e} during fit(): "
                       f"train only the trainable variables")
                continue
            group, rate = ("base_lr", base_lr) if id(v) in base_ids else ("head_lr", head_lr)
            steps.append((where, group, rate, grads[id(v)], change, id(v)))
    return steps


def test_sgd_steps_are_base_lr_and_head_lr_times_the_gradient(kata):
    # A functional base (its variable paths do not carry its name), frozen as a whole and then
    # partly unfrozen: base.trainable_weights is empty, yet the model trains base_2 and base_3.
    # The loss is not the default.
    model, base = model_with_base("functional")
    base.trainable = False
    base.get_layer("base_2").trainable = True
    base.get_layer("base_3").trainable = True
    base_lr, head_lr = 0.01, 0.1
    mse = gradients(model, *data(), "mse")  # the gradients of the default loss, for the message
    for where, group, rate, grad, change, key in one_step(kata, model, base, base_lr, head_lr,
                                                          loss="mae",
                                                          optimizer=keras.optimizers.SGD):
        # SGD: change = -rate * gradient. The rate a variable really got, by least squares.
        # Float32 round-off in `change` (the difference of two weights near 1) is up to 6e-8 per
        # entry: measured within 3e-6 of the rate, and per entry within 1% (+1e-6) of the step,
        # with oneDNN on and off. A wrong group's rate is off by a factor of 10, and the step of
        # the mean squared error's gradient differs from the mae one by 45 times that tolerance
        # or more.
        measured = float(-(change * grad).sum() / (grad * grad).sum())
        expect(not np.allclose(change, -rate * mse[key], rtol=1e-2, atol=1e-6),
               f"with SGD, {where} moved by -{group} x the gradient of the mean squared error, "
               f"but the loss given was 'mae': compile with the `loss` you are given")
        expect(np.isclose(measured, rate, rtol=1e-2),
               f"with SGD, {where} moved by {measured:.3g} x its gradient, so it trained at "
               f"learning rate {measured:.3g}; it should train at {group}={rate:g}")
        expect(np.allclose(change, -rate * grad, rtol=1e-2, atol=1e-6),
               f"with SGD, {where} should move by exactly -{group} x its gradient "
               f"(-{rate:g} x gradient) in one step, but it moved differently: largest "
               f"difference {np.abs(change + rate * grad).max():.1e}")


def test_adam_moves_each_group_by_its_own_learning_rate(kata):
    # A Sequential base with its bottom layer frozen, and the head's first layer frozen too;
    # neither loss nor optimizer given: the defaults are "mse" and keras.optimizers.Adam.
    model, base = model_with_base("sequential")
    base.get_layer("base_1").trainable = False
    model.get_layer("head_hidden").trainable = False
    base_lr, head_lr = 0.002, 0.02
    for where, group, rate, grad, change, _ in one_step(kata, model, base, base_lr, head_lr):
        # Adam's first step moves each weight by about its learning rate, whatever the gradient's
        # size (except for tiny gradients, near Adam's epsilon): measured within 0.011% of the rate
        # with oneDNN on and off, against a 10% tolerance; a wrong group is off by a factor of 10.
        clear = np.abs(grad) > 1e-4
        if not clear.any():
            continue
        measured = float(np.median(np.abs(change[clear])))
        expect(np.isclose(measured, rate, rtol=0.1),
               f"with Adam, the first step moves each weight by about its learning rate, but "
               f"{where} moved by about {measured:.3g} per weight instead of about "
               f"{group}={rate:g}: it should be trained by the optimizer class you are given, at "
               f"{group} (scaling a gradient does not change the size of an Adam step)")
