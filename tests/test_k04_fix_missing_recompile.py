"""Kata 4: debug the missing recompile after unfreezing (practice challenge 4)."""
import keras
import numpy as np

from dojo import zoo
from dojo.checks import (expect, expect_flags, expect_moved_exactly, same_float32, snapshot,
                         weighted_leaf_layers)


def stage_one(freeze):
    """What the function receives: a model frozen by `freeze`, compiled and trained once.

    Training once matters: a change made after compile() but before the first fit() takes effect
    even without a recompile, so only a model whose train function is already traced shows the bug.
    """
    model = zoo.with_head(zoo.pretrained_encoder())
    freeze(model)
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    model.fit(*zoo.regression_data(128, seed=3), epochs=1, batch_size=32, verbose=0)
    return model


def check_stage_two(kata, model, epochs, learning_rate):
    x, y = zoo.regression_data(128, seed=4)  # 4 steps per epoch at the default batch size
    old_optimizer = model.optimizer
    before = snapshot(model)
    history = kata.unfreeze_and_train(model, x, y, epochs=epochs, learning_rate=learning_rate)
    weighted = weighted_leaf_layers(model)

    expect_flags(model, trained=weighted)
    expect_moved_exactly(before, should_move=weighted, during="unfreeze_and_train()")
    expect(isinstance(history, keras.callbacks.History),
           f"unfreeze_and_train must return the History object that model.fit() returns, "
           f"got {history!r}")
    losses = history.history.get("loss", [])
    expect(len(losses) == epochs,
           f"unfreeze_and_train(..., epochs={epochs}) should train for {epochs} epochs, but the "
           f"History it returned has {len(losses)} loss value(s)")
    optimizer = model.optimizer
    expect(optimizer is not old_optimizer,
           "the model still has the optimizer it was trained with before: unfreeze_and_train must "
           "train with a new keras.optimizers.Adam")
    expect(isinstance(optimizer, keras.optimizers.Adam),
           f"the model should train with keras.optimizers.Adam, got {type(optimizer).__name__}")
    rate = float(np.asarray(optimizer.learning_rate))
    expect(same_float32(rate, learning_rate),
           f"unfreeze_and_train(..., learning_rate={learning_rate}) should train with that learning "
           f"rate, but the model's optimizer has learning_rate {rate:.6g}")
    expect(int(np.asarray(optimizer.iterations)) > 0,
           "the model's new optimizer never took a step: fit() still trained with the old one. "
           "Giving the model an optimizer is compile()'s job")
    expect(not model.run_eagerly,
           "model.run_eagerly is True after unfreeze_and_train: eager mode only hides the problem "
           "(in eager mode a changed trainable flag takes effect without a recompile). Leave the "
           "model in graph mode and fix what fit() trains there")


def freeze_layers_one_by_one(model):
    base = model.get_layer("base")
    base.get_layer("base_dense_1").trainable = False
    model.get_layer("head").trainable = False


def freeze_the_base(model):
    model.get_layer("base").trainable = False


def test_layers_frozen_one_by_one_are_trained_after_the_call(kata):
    # base.trainable and model.trainable stay True: only some leaf layers are frozen.
    model = stage_one(freeze_layers_one_by_one)
    check_stage_two(kata, model, epochs=2, learning_rate=1e-2)


def test_a_frozen_base_is_trained_after_the_call(kata):
    model = stage_one(freeze_the_base)
    check_stage_two(kata, model, epochs=3, learning_rate=1e-3)
