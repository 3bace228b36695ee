"""Kata 14: unfreeze a base for fine-tuning while its BatchNormalization layers stay frozen."""
import keras
import numpy as np

from dojo import zoo
from dojo.checks import (KataFailure, expect, expect_flags, expect_moved_exactly, same_float32,
                         snapshot, weighted_leaf_layers)


def stage_one(base, freeze, x, y, loss, units=1, activation=None):
    """What the function receives: the keras.io recipe, compiled and trained with a frozen base.

    The base is called with training=False, as the guide does. Training once matters: before the
    first fit() a changed flag takes effect even without a recompile, so only a model whose train
    function is already traced shows a missing recompile.
    """
    inputs = keras.Input(base.input_shape[1:])
    head = keras.layers.Dense(units, activation=activation, name="head")
    outputs = head(base(inputs, training=False))
    model = keras.Model(inputs, outputs, name=f"{base.name}_with_head")
    freeze(base)
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), loss)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    return model


def freeze_as_a_whole(base):
    base.trainable = False


def freeze_layer_by_layer(base):
    for layer in base.layers:  # base.trainable itself stays True; "block" freezes its own layers
        layer.trainable = False


def describe(loss):
    if isinstance(loss, str) or loss is None:
        return repr(loss)
    return f"a {type(loss).__name__} object"


def unfreeze(kata, model, base, **kwargs):
    result = kata.unfreeze_for_fine_tuning(model, base, **kwargs)
    expect(result is model,
           f"unfreeze_for_fine_tuning must return the model it was given, got {result!r}")
    return result


def check_fine_tuning(kata, model, base, x, y, learning_rate):
    old_optimizer = model.optimizer
    old_loss = model.loss
    before = snapshot(model)
    unfreeze(kata, model, base, learning_rate=learning_rate)
    expect(before.unchanged(), "unfreeze_for_fine_tuning must not change any weight value")

    norms = [layer for layer in weighted_leaf_layers(base)
             if isinstance(layer, keras.layers.BatchNormalization)]
    norm_ids = {id(layer) for layer in norms}
    learners = [layer for layer in weighted_leaf_layers(model) if id(layer) not in norm_ids]
    live = [layer.name for layer in norms if layer.trainable]
    expect(not live,
           f"BatchNormalization layer(s) {', '.join(live)} of the base are trainable after "
           f"unfreeze_for_fine_tuning. The model calls base(inputs, training=False), but inside "
           f"a functional model fit() overrides that: an unfrozen BatchNormalization layer "
           f"updates its moving statistics and trains gamma and beta. Set its trainable flag to "
           f"False after unfreezing the base: `base.trainable = True` on a frozen base makes every "
           f"layer inside it trainable again")
    expect_flags(model, frozen=norms, trained=learners)

    optimizer = model.optimizer
    expect(optimizer is not old_optimizer,
           "the model still has the optimizer it was trained with before. Compile the model again "
           "(until compile(), fit() keeps the training function it built for the frozen base), "
           "with a new keras.optimizers.Adam (the old one was built for the head's variables only: "
           "the next fit() would fail with 'Unknown variable')")
    expect(isinstance(optimizer, keras.optimizers.Adam),
           f"fine-tune with keras.optimizers.Adam, got {type(optimizer).__name__}")
    rate = float(np.asarray(optimizer.learning_rate))
    expect(same_float32(rate, learning_rate),
           f"unfreeze_for_fine_tuning(..., learning_rate={learning_rate:g}) should compile with "
           f"that learning rate, but the model's optimizer has learning_rate {rate:.6g}")
    expect(model.loss is old_loss or model.loss == old_loss,
           f"the model should keep the loss it was compiled with ({describe(old_loss)}), but it "
           f"now has {describe(model.loss)}: pass loss=model.loss to compile()")

    try:
        model.fit(x, y, epochs=1, batch_size=8, verbose=0)  # 4 steps
    except ValueError as error:
        first_line = str(error).strip().splitlines()[0]
        advice = ("An optimizer is built for the variables it first trained (here the head's "
                  "only): compile with a new keras.optimizers.Adam"
                  if "Unknown variable" in first_line
                  else "Check what unfreeze_for_fine_tuning passes to compile()")
        raise KataFailure(f"model.fit() after unfreeze_for_fine_tuning raised ValueError: "
                          f"{first_line}\n{advice}") from None
    expect_moved_exactly(before, should_move=learners,
                         during="fit() after unfreeze_for_fine_tuning (data mean far from 0)")


def flat_base():
    """Shaped like zoo.pretrained_base(), built here: these tests need no pretraining."""
    dense = keras.layers.Dense
    return keras.Sequential([keras.Input((zoo.INPUT_DIM,)),
                             dense(16, activation="tanh", name="base_dense_1"),
                             keras.layers.BatchNormalization(name="base_bn"),
                             dense(16, activation="tanh", name="base_dense_2"),
                             keras.layers.Dropout(0.2, name="base_dropout"),
                             dense(8, activation="tanh", name="base_dense_3")], name="base")


def base_with_a_nested_block():
    """A base with a model nested in it, and a BatchNormalization layer at both levels."""
    dense = keras.layers.Dense
    block = keras.Sequential([keras.Input((16,)), dense(16, activation="tanh", name="block_dense"),
                              keras.layers.BatchNormalization(name="block_bn")], name="block")
    return keras.Sequential([keras.Input((zoo.INPUT_DIM,)),
                             dense(16, activation="tanh", name="base_dense_1"),
                             keras.layers.BatchNormalization(name="base_bn"),
                             block,
                             dense(8, activation="tanh", name="base_dense_2")], name="base")


def test_a_frozen_base_is_unfrozen_but_its_batchnorm_stays_frozen(kata):
    base = flat_base()
    x, y = zoo.regression_data(32, seed=7)
    x = x * 3 + 5
    model = stage_one(base, freeze_as_a_whole, x, y, loss="mse")
    check_fine_tuning(kata, model, base, x, y, learning_rate=1e-3)


def test_a_base_whose_layers_were_frozen_one_by_one(kata):
    base = base_with_a_nested_block()
    x, y = zoo.classification_data(32, classes=3, seed=8)
    x = x * 3 + 5
    loss = keras.losses.SparseCategoricalCrossentropy()
    model = stage_one(base, freeze_layer_by_layer, x, y, loss=loss, units=3, activation="softmax")
    check_fine_tuning(kata, model, base, x, y, learning_rate=1e-3)


def test_the_default_learning_rate_is_1e_5(kata):
    base = flat_base()
    inputs = keras.Input(base.input_shape[1:])
    model = keras.Model(inputs, keras.layers.Dense(1)(base(inputs, training=False)))
    base.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    unfreeze(kata, model, base)
    optimizer = model.optimizer
    rate = float(np.asarray(optimizer.learning_rate)) if optimizer is not None else None
    expect(rate is not None and same_float32(rate, 1e-5),
           f"unfreeze_for_fine_tuning(model, base) without a learning_rate should compile with the "
           f"default 1e-5, but the model's optimizer has learning_rate {rate}")
