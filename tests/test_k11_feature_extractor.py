"""Kata 11: a frozen feature extractor that shares the pretrained weights."""
import keras
import numpy as np
import pytest

from dojo import zoo
from dojo.checks import (agree, expect, expect_flags, expect_moved_exactly, snapshot,
                         weighted_leaf_layers)


def activation_inside(pretrained, layer_name, x):
    """The named layer's activation in `pretrained`, computed layer by layer (inference mode)."""
    h = x
    for layer in pretrained.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        h = layer(h)  # Dropout is inactive outside training
        if layer.name == layer_name:
            return np.asarray(h)
    raise AssertionError(f"the test model has no layer {layer_name!r}")


def extract(kata, pretrained, layer_name):
    extractor = kata.feature_extractor(pretrained, layer_name)
    expect(isinstance(extractor, keras.Model),
           f"feature_extractor must return a keras.Model, got {extractor!r}")
    return extractor


def expect_same_features(extractor, pretrained, layer_name, x, when=""):
    expected = activation_inside(pretrained, layer_name, x)
    got = np.asarray(extractor(x, training=False))
    expect(got.shape == expected.shape,
           f"feature_extractor(pretrained, {layer_name!r}) should output the activation of layer "
           f"{layer_name!r}, of shape {expected.shape} for {len(x)} samples, but its output has "
           f"shape {got.shape}{when}")
    expect(agree(got, expected),
           f"feature_extractor(pretrained, {layer_name!r}) outputs values that differ from the "
           f"activation of layer {layer_name!r} inside the pretrained model by up to "
           f"{np.max(np.abs(got - expected)):.1e}{when}: cut at the named layer, and keep the "
           f"pretrained weights")


def test_the_extractor_shares_the_pretrained_variables(kata):
    pretrained = zoo.pretrained_mlp()
    before = snapshot(pretrained)
    extractor = extract(kata, pretrained, "dense_b")
    expect(before.unchanged(), "feature_extractor must not change any pretrained weight value")
    own = {id(v): v for v in pretrained.weights}
    foreign = [v.path for v in extractor.weights if id(v) not in own]
    expect(not foreign,
           f"the extractor should use the pretrained model's own variables, but it has "
           f"{len(foreign)} variable(s) of its own (first: {foreign[:1]}): build it from the "
           f"pretrained layers, not from a copy of them")
    needed = [v for name in ("dense_a", "dense_b") for v in pretrained.get_layer(name).weights]
    shared = {id(v) for v in extractor.weights}
    expect(all(id(v) in shared for v in needed),
           "the extractor cut at 'dense_b' should use the variables of 'dense_a' and 'dense_b' "
           "(the same variable objects as in the pretrained model)")


@pytest.mark.parametrize("layer_name", ["dense_b", "dense_c"])
def test_the_output_is_the_named_layers_activation(kata, layer_name):
    pretrained = zoo.pretrained_mlp()
    x, _ = zoo.regression_data(16, seed=3)
    extractor = extract(kata, pretrained, layer_name)
    expect_same_features(extractor, pretrained, layer_name, x)
    kernel = pretrained.get_layer("dense_a").kernel
    kernel.assign(np.asarray(kernel) * -0.5)
    expect_same_features(extractor, pretrained, layer_name, x,
                         when=" after a pretrained weight was changed: the extractor must share "
                              "the pretrained variables, not hold a copy of their old values")


def test_a_head_trained_on_the_extractor_leaves_the_pretrained_weights_unchanged(kata):
    pretrained = zoo.pretrained_mlp()
    extractor = extract(kata, pretrained, "dense_c")
    expect(not extractor.trainable_weights,
           f"the extractor should be frozen, but it still has {len(extractor.trainable_weights)} "
           f"trainable weight(s)")
    inputs = keras.Input((zoo.INPUT_DIM,))
    head = keras.layers.Dense(1, name="new_head")
    features = extractor(inputs)
    expect(not isinstance(features, (list, tuple, dict)),
           f"the extractor should have one output, the named layer's output tensor, but on a "
           f"keras.Input it returns a {type(features).__name__}: give keras.Model "
           f"`outputs=layer.output`, not a list")
    model = keras.Model(inputs, head(features))
    expect_flags(model, frozen=weighted_leaf_layers(extractor), trained=[head])
    before_pretrained = snapshot(pretrained)
    before = snapshot(model)
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    model.fit(*zoo.regression_data(64, seed=5), epochs=2, batch_size=16, verbose=0)
    expect_moved_exactly(before, should_move=[head], during="fit() of a head on the extractor")
    expect(before_pretrained.unchanged(),
           "fitting a head on the extractor changed weights of the pretrained model")


def test_an_unknown_layer_name_raises_value_error(kata):
    pretrained = zoo.pretrained_mlp()
    with pytest.raises(ValueError):
        kata.feature_extractor(pretrained, "no_such_layer")
        pytest.fail("feature_extractor(pretrained, 'no_such_layer') should raise ValueError: the "
                    "pretrained model has no layer of that name")
