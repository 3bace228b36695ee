"""Kata 15: debug a freeze that fit() ignores because the model was not recompiled (challenge 4)."""
import keras
import numpy as np

from dojo import zoo
from dojo.checks import (agree, expect, expect_flags, expect_moved_exactly, leaf_layers,
                         same_float32, snapshot, weighted_leaf_layers)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k15_fix_refreeze_without_recompile/ that break only it.
REQUIREMENTS = {
    "the layer frozen after a traced fit() stays bit-identical in the next fit()": (
        "test_a_layer_frozen_after_training_stays_bit_identical",
        ["no_recompile", "recompiles_after_fit", "makes_train_function_without_force",
         "sets_run_eagerly_instead"]),
    "a frozen nested base is frozen whole: its BatchNormalization statistics stay too": (
        "test_a_base_frozen_after_training_keeps_its_batch_norm_statistics",
        ["freezes_the_variables_not_the_layer"]),
    "every other layer that owns weights keeps learning": (
        "test_a_layer_frozen_after_training_stays_bit_identical",
        ["freezes_everything_up_to_the_layer"]),
    "train for exactly `epochs` epochs": (
        "test_a_layer_frozen_after_training_stays_bit_identical", ["ignores_epochs"]),
    "train at fit()'s default batch size": (
        "test_a_layer_frozen_after_training_stays_bit_identical", ["fits_with_a_new_batch_size"]),
    "keep the loss the model was compiled with": (
        "test_a_base_frozen_after_training_keeps_its_batch_norm_statistics",
        ["hard_codes_mse", "recompiles_without_the_loss"]),
    "keep the optimizer class": (
        "test_a_layer_frozen_after_training_stays_bit_identical", ["switches_to_sgd"]),
    "keep the learning rate": (
        "test_a_layer_frozen_after_training_stays_bit_identical", ["recompiles_with_default_adam"]),
    "leave the model in graph mode": (
        "test_a_layer_frozen_after_training_stays_bit_identical", ["recompiles_in_eager_mode"]),
    "return the History that training returns": (
        "test_a_layer_frozen_after_training_stays_bit_identical", ["returns_nothing"]),
}

DEFAULT_BATCH_SIZE = 32  # fit()'s, when neither batch_size nor steps_per_epoch is given


def mlp():
    """Functional: input, dense_a, dropout, dense_b, dense_c, out (tanh, so gradients never die)."""
    layers = keras.layers
    inputs = keras.Input((zoo.INPUT_DIM,), name="input")
    h = layers.Dense(16, activation="tanh", name="dense_a")(inputs)
    h = layers.Dropout(0.1, name="dropout")(h)
    h = layers.Dense(16, activation="tanh", name="dense_b")(h)
    h = layers.Dense(8, activation="tanh", name="dense_c")(h)
    return keras.Model(inputs, layers.Dense(1, name="out")(h), name="mlp")


def base_with_batch_norm():
    """A Sequential base named 'base': base_dense_1, base_bn, base_dense_2."""
    layers = keras.layers
    return keras.Sequential([
        keras.Input((zoo.INPUT_DIM,)),
        layers.Dense(16, activation="tanh", name="base_dense_1"),
        layers.BatchNormalization(name="base_bn"),
        layers.Dense(8, activation="tanh", name="base_dense_2"),
    ], name="base")


def trained_once(model, loss, x, y):
    """What the function receives: a model compiled and trained once, every layer trainable.

    Training once matters: a change made after compile() but before the first fit() takes effect
    even without a recompile, so only a model whose train function is already traced shows the bug.
    And at the default batch size, like the fit() the statement asks for: fit() reuses its traced
    step only for inputs of the same shape; a new batch size traces a new one, with the new flags.
    """
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), loss)
    model.fit(x, y, epochs=1, verbose=0)
    return model


def learning_rate_of(optimizer) -> float:
    return float(np.asarray(keras.ops.convert_to_numpy(optimizer.learning_rate)))


def check_freeze_and_continue(kata, model, layer_name, x, y, epochs, loss, shown_loss):
    """Call freeze_and_continue (with `epochs`, or without it when None: the default is 1), then
    check the weights, the flags, the History and what the model trains with afterwards."""
    frozen = model.get_layer(layer_name)
    frozen_leaves = [l for l in (leaf_layers(frozen) if isinstance(frozen, keras.Model) else [frozen])
                     if l.weights]
    should_move = [l for l in weighted_leaf_layers(model)
                   if not any(l is f for f in frozen_leaves)]
    old_optimizer = model.optimizer
    old_rate = learning_rate_of(old_optimizer)
    old_loss_config = model.get_compile_config()["loss"]
    before = snapshot(model)

    if epochs is None:
        history, epochs = kata.freeze_and_continue(model, layer_name, x, y), 1
        call = "freeze_and_continue(model, layer_name, x, y), called without epochs (default 1),"
    else:
        history = kata.freeze_and_continue(model, layer_name, x, y, epochs=epochs)
        call = f"freeze_and_continue(..., epochs={epochs})"

    expect_moved_exactly(before, should_move=should_move, during="freeze_and_continue()")
    expect_flags(model, frozen=frozen_leaves, trained=should_move)
    expect(isinstance(history, keras.callbacks.History),
           f"freeze_and_continue must return the History object that model.fit() returns, "
           f"got {history!r}")
    losses = history.history.get("loss", [])
    expect(len(losses) == epochs,
           f"{call} should train for {epochs} epoch(s), but the History it returned has "
           f"{len(losses)} loss value(s)")
    steps = history.params.get("steps")
    want_steps = -(-len(x) // DEFAULT_BATCH_SIZE)
    expect(steps == want_steps,
           f"freeze_and_continue should train at fit()'s default batch size ({DEFAULT_BATCH_SIZE} "
           f"samples per step: {want_steps} steps per epoch on these {len(x)} samples), but its "
           f"fit() ran {steps} steps per epoch. Leave batch_size at its default: a new batch size "
           f"makes fit() trace a new train step, which picks up a late freeze even without a "
           f"recompile, and so hides the bug this kata is about instead of fixing it")
    expect(not model.run_eagerly,
           "model.run_eagerly is True after freeze_and_continue: eager mode only hides the problem "
           "(in eager mode a changed trainable flag takes effect without a recompile). Leave the "
           "model in graph mode and fix what fit() trains there")
    optimizer = model.optimizer
    expect(type(optimizer) is type(old_optimizer),
           f"the model was trained with {type(old_optimizer).__name__} and should keep training "
           f"with it, but its optimizer is now {type(optimizer).__name__}")
    rate = learning_rate_of(optimizer)
    expect(same_float32(rate, old_rate),
           f"the model was trained at learning rate {old_rate:.6g} and should keep that rate, but "
           f"its optimizer now has learning_rate {rate:.6g}. Reuse model.optimizer, or give a new "
           f"optimizer that same rate")
    y_pred = model(x[:32])
    got = float(keras.ops.convert_to_numpy(model.compute_loss(x=x[:32], y=y[:32], y_pred=y_pred)))
    want = float(keras.ops.convert_to_numpy(loss(y[:32], y_pred)))
    expect(agree(got, want),
           f"the model was compiled with loss={shown_loss} and should keep it (model.loss), but "
           f"after freeze_and_continue its loss on a batch is {got:.4f} where {shown_loss} gives "
           f"{want:.4f}")
    loss_config = model.get_compile_config()["loss"]
    expect(loss_config == old_loss_config,
           f"the model was compiled with loss={shown_loss}, but after freeze_and_continue its "
           f"compile config says loss={loss_config!r}: compile() without loss goes on computing "
           f"the old one in fit(), but model.save() stores the compile config, and the reloaded "
           f"model has no loss at all. Pass loss=model.loss to compile()")


def test_a_layer_frozen_after_training_stays_bit_identical(kata):
    # Freeze dense_b, in the middle: the layers below it still train through it.
    x, y = zoo.regression_data(128, seed=3)
    model = trained_once(mlp(), "mse", x, y)
    check_freeze_and_continue(kata, model, "dense_b", x, y, epochs=2,
                              loss=keras.losses.MeanSquaredError(), shown_loss="'mse'")


def test_a_base_frozen_after_training_keeps_its_batch_norm_statistics(kata):
    # Data with a mean far from 0: a BatchNormalization layer in training mode visibly moves its
    # moving statistics, a frozen one (inference mode) keeps them bit-identical.
    x, y = zoo.regression_data(128, seed=4, shift=5.0)
    model = trained_once(zoo.with_head(base_with_batch_norm()), "mae", x, y)
    check_freeze_and_continue(kata, model, "base", x, y, epochs=None,  # the default: one epoch
                              loss=keras.losses.MeanAbsoluteError(), shown_loss="'mae'")
