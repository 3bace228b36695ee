"""Kata 13: freeze every BatchNormalization layer, nested ones included."""
import numbers

import keras

from dojo import zoo
from dojo.checks import (KataFailure, expect, expect_flags, expect_moved_exactly, snapshot,
                         weighted_leaf_layers)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k13_freeze_batchnorm/ that break only it.
REQUIREMENTS = {
    "freeze each BatchNormalization layer itself: all four of its weights stay": (
        "test_the_batchnorm_inside_a_pretrained_convnet",
        ["freezes_the_variables_only", "stops_the_statistics_only", "forces_training_false"]),
    "find them by type, not by name": (
        "test_the_batchnorm_inside_a_pretrained_convnet", ["matches_by_name"]),
    "inside nested models too, at any depth, functional ones included": (
        "test_batchnorm_layers_at_every_depth",
        ["top_level_only", "looks_one_level_deep", "recurses_only_into_sequential"]),
    "leave every other layer as it is: trainable ones keep learning": (
        "test_the_batchnorm_inside_a_pretrained_convnet", ["freezes_everything"]),
    "leave every other layer as it is: frozen ones stay frozen": (
        "test_a_model_whose_base_arrives_frozen", ["unfreezes_the_other_layers"]),
    "return the number of BatchNormalization layers, frozen already or not": (
        "test_a_model_whose_base_arrives_frozen", ["counts_only_the_layers_it_changed"]),
}


def batchnorm_layers(model):
    return [layer for layer in weighted_leaf_layers(model)
            if isinstance(layer, keras.layers.BatchNormalization)]


def freeze_and_fit(kata, model, x, y, loss, expected_count, frozen_before=()):
    """Call the kata, check its count and the flags, fit, and check which layers moved.

    `frozen_before`: layers other than BatchNormalization that arrive frozen and must stay so."""
    norms = batchnorm_layers(model)
    kept = {id(layer) for layer in norms} | {id(layer) for layer in frozen_before}
    others = [layer for layer in weighted_leaf_layers(model) if id(layer) not in kept]
    frozen = [*norms, *(layer for layer in frozen_before if layer not in norms)]
    before = snapshot(model)
    count = kata.freeze_batchnorm(model)
    expect(isinstance(count, numbers.Integral) and not isinstance(count, bool),
           f"freeze_batchnorm must return the number of BatchNormalization layers it froze, as an "
           f"int, got {count!r}")
    expect(before.unchanged(), "freeze_batchnorm must not change any weight value")
    expect(count == expected_count,
           f"this model has {expected_count} BatchNormalization layer(s) "
           f"({', '.join(layer.name for layer in norms)}), but freeze_batchnorm returned {count}"
           + (": count every one of them, those that were frozen already included"
              if frozen_before else ""))
    try:
        expect_flags(model, frozen=frozen, trained=others)
    except KataFailure as failure:
        if not frozen_before:
            raise
        raise KataFailure(f"this model arrived with its pretrained base frozen, and it should stay "
                          f"frozen: freeze_batchnorm changes the BatchNormalization layers and "
                          f"leaves every other layer as it was.\n{failure}") from None
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), loss)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)  # 4 steps
    expect_moved_exactly(before, should_move=others,
                         during="fit() on data whose mean is far from 0")


def test_the_batchnorm_inside_a_pretrained_convnet(kata):
    model = zoo.with_head(zoo.pretrained_convnet(), units=3, activation="softmax")
    x, y = zoo.image_data(32, seed=4)
    freeze_and_fit(kata, model, x * 3 + 5, y, "sparse_categorical_crossentropy", expected_count=1)


def encoder_with_nested_blocks():
    """A base two models deep: encoder (Sequential) > block (functional), with a
    BatchNormalization layer at each level."""
    dense = keras.layers.Dense
    block_input = keras.Input((8,))
    h = dense(8, activation="tanh", name="block_dense")(block_input)
    block = keras.Model(block_input, keras.layers.BatchNormalization(name="block_bn")(h),
                        name="block")
    return keras.Sequential([keras.Input((zoo.INPUT_DIM,)),
                             dense(8, activation="tanh", name="encoder_dense"),
                             keras.layers.BatchNormalization(name="encoder_bn"),
                             block,
                             keras.layers.Dropout(0.1, name="encoder_dropout"),
                             dense(8, activation="tanh", name="encoder_out")], name="encoder")


def test_batchnorm_layers_at_every_depth(kata):
    inputs = keras.Input((zoo.INPUT_DIM,))
    h = encoder_with_nested_blocks()(inputs)
    h = keras.layers.BatchNormalization(name="top_bn")(h)
    outputs = keras.layers.Dense(1, name="head")(h)
    model = keras.Model(inputs, outputs, name="encoder_with_top_bn")
    x, y = zoo.regression_data(32, seed=6)
    freeze_and_fit(kata, model, x * 3 + 5, y, "mse", expected_count=3)


def test_a_model_whose_base_arrives_frozen(kata):
    base = zoo.pretrained_base()  # base_dense_1, base_bn, base_dense_2, base_dropout, base_dense_3
    base.trainable = False  # the usual first stage: a frozen base under new layers
    inputs = keras.Input((zoo.INPUT_DIM,))
    h = keras.layers.Dense(8, activation="tanh", name="top_dense")(base(inputs))
    h = keras.layers.BatchNormalization(name="top_bn")(h)
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(h), name="frozen_base_with_top")
    x, y = zoo.regression_data(32, seed=7)
    freeze_and_fit(kata, model, x * 3 + 5, y, "mse", expected_count=2,
                   frozen_before=weighted_leaf_layers(base))
