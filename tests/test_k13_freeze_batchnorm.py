"""Kata 13: freeze every BatchNormalization layer, nested ones included."""
import numbers

import keras

from dojo import zoo
from dojo.checks import expect, expect_flags, expect_moved_exactly, snapshot, weighted_leaf_layers


def batchnorm_layers(model):
    return [layer for layer in weighted_leaf_layers(model)
            if isinstance(layer, keras.layers.BatchNormalization)]


def freeze_and_fit(kata, model, x, y, loss, expected_count):
    """Call the kata, check its count and the flags, fit, and check which layers moved."""
    norms = batchnorm_layers(model)
    norm_ids = {id(layer) for layer in norms}
    others = [layer for layer in weighted_leaf_layers(model) if id(layer) not in norm_ids]
    before = snapshot(model)
    count = kata.freeze_batchnorm(model)
    expect(isinstance(count, numbers.Integral) and not isinstance(count, bool),
           f"freeze_batchnorm must return the number of BatchNormalization layers it froze, as an "
           f"int, got {count!r}")
    expect(before.unchanged(), "freeze_batchnorm must not change any weight value")
    expect(count == expected_count,
           f"this model has {expected_count} BatchNormalization layer(s) "
           f"({', '.join(layer.name for layer in norms)}), but freeze_batchnorm returned {count}")
    expect_flags(model, frozen=norms, trained=others)
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), loss)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)  # 4 steps
    expect_moved_exactly(before, should_move=others,
                         during="fit() on data whose mean is far from 0")


def test_the_batchnorm_inside_a_pretrained_convnet(kata):
    model = zoo.with_head(zoo.pretrained_convnet(), units=3, activation="softmax")
    x, y = zoo.image_data(32, seed=4)
    freeze_and_fit(kata, model, x * 3 + 5, y, "sparse_categorical_crossentropy", expected_count=1)


def encoder_with_nested_blocks():
    """A base two models deep: encoder > block, with a BatchNormalization layer at each level."""
    dense = keras.layers.Dense
    block = keras.Sequential([keras.Input((8,)), dense(8, activation="tanh", name="block_dense"),
                              keras.layers.BatchNormalization(name="block_bn")], name="block")
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
