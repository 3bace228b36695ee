"""Kata 11: a frozen feature extractor that shares the pretrained weights."""
import keras
import numpy as np
import pytest

from dojo import zoo
from dojo.checks import (KataFailure, agree, expect, expect_flags, expect_moved_exactly, snapshot,
                         weighted_leaf_layers)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k11_feature_extractor/ that break only it.
REQUIREMENTS = {
    "cut at the named layer, any layer (one without weights included): its activation": (
        "test_the_output_is_the_named_layers_activation",
        ["takes_the_layer_after", "off_by_one_without_the_input_layer",
         "cuts_only_at_layers_with_weights"]),
    # On data a one-element output list still gives an array; on a keras.Input it gives a list.
    "one output tensor, not a list holding it": (
        "test_a_head_trained_on_the_extractor_leaves_the_pretrained_weights_unchanged",
        ["returns_a_one_element_list"]),
    "a functional model is a graph: a cut across a skip connection works": (
        "test_a_cut_across_a_skip_connection", ["rebuilds_the_chain_of_layers"]),
    "share the pretrained variables, do not copy them": (
        "test_the_extractor_shares_the_pretrained_variables",
        ["copies_the_weights", "clones_the_model"]),
    "frozen: a head fitted on it leaves every pretrained weight bit-identical, BN included": (
        "test_a_head_trained_on_the_extractor_leaves_the_pretrained_weights_unchanged",
        ["not_frozen", "freezes_the_variables_only"]),
    "the layers of pretrained after the cut keep their flags": (
        "test_pretrained_keeps_training_its_layers_after_the_cut",
        ["freezes_the_whole_pretrained_model", "unfreezes_the_layers_after_the_cut"]),
    "an unknown layer_name raises ValueError": (
        "test_an_unknown_layer_name_raises_value_error", ["falls_back_to_the_last_layer"]),
}


def activation_inside(pretrained, layer_name, x):
    """The named layer's activation in a chain-shaped `pretrained`, computed layer by layer
    (inference mode)."""
    h = x
    for layer in pretrained.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        h = layer(h)  # Dropout is inactive outside training
        if layer.name == layer_name:
            return np.asarray(h)
    raise AssertionError(f"the test model has no layer {layer_name!r}")


def extract(kata, pretrained, layer_name, kind="The pretrained model"):
    try:
        extractor = kata.feature_extractor(pretrained, layer_name)
    except Exception as error:  # the learner's code failed on a model the statement allows
        first_line = (str(error).strip().splitlines() or [""])[0]
        raise KataFailure(
            f"feature_extractor(pretrained, {layer_name!r}) raised {type(error).__name__}: "
            f"{first_line}\n{kind} has a layer named {layer_name!r}: end a new keras.Model at "
            f"pretrained.get_layer({layer_name!r}).output, starting from pretrained.input"
        ) from None
    expect(isinstance(extractor, keras.Model),
           f"feature_extractor must return a keras.Model, got {extractor!r}")
    return extractor


def expect_same_features(extractor, expected, layer_name, x, when=""):
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


# "dropout" owns no weights, and cutting there tests the statement's Dropout sentence too: outside
# training it passes dense_a's activation through.
@pytest.mark.parametrize("layer_name", ["dense_b", "dense_c", "dropout"])
def test_the_output_is_the_named_layers_activation(kata, layer_name):
    pretrained = zoo.pretrained_mlp()  # input, dense_a, dropout, dense_b, flatten, dense_c, out
    x, _ = zoo.regression_data(16, seed=3)
    extractor = extract(kata, pretrained, layer_name)
    expect_same_features(extractor, activation_inside(pretrained, layer_name, x), layer_name, x)
    kernel = pretrained.get_layer("dense_a").kernel
    kernel.assign(np.asarray(kernel) * -0.5)
    expect_same_features(extractor, activation_inside(pretrained, layer_name, x), layer_name, x,
                         when=" after a pretrained weight was changed: the extractor must share "
                              "the pretrained variables, not hold a copy of their old values")


def pretrained_with_a_skip_connection():
    """A functional model that is a graph, not a chain: dense_a feeds both bn and the Add.

    model.layers: input, dense_a, bn, dense_b, skip (Add), dense_c, out.
    """
    dense = keras.layers.Dense
    inputs = keras.Input((zoo.INPUT_DIM,), name="input")
    a = dense(16, activation="tanh", name="dense_a")(inputs)
    b = dense(16, activation="tanh", name="dense_b")(keras.layers.BatchNormalization(name="bn")(a))
    h = keras.layers.Add(name="skip")([a, b])
    h = dense(8, activation="tanh", name="dense_c")(h)
    return keras.Model(inputs, dense(1, name="out")(h), name="pretrained_resnet")


def test_a_cut_across_a_skip_connection(kata):
    pretrained = pretrained_with_a_skip_connection()
    x, _ = zoo.regression_data(16, seed=4)
    extractor = extract(kata, pretrained, "dense_c",
                        kind="This pretrained model, a graph with a skip connection (an Add layer "
                             "with two inputs),")
    layer = pretrained.get_layer
    a = layer("dense_a")(x)
    b = layer("dense_b")(layer("bn")(a, training=False))
    expected = layer("dense_c")(layer("skip")([a, b]))
    expect_same_features(extractor, np.asarray(expected), "dense_c", x)


def test_a_head_trained_on_the_extractor_leaves_the_pretrained_weights_unchanged(kata):
    pretrained = pretrained_with_a_skip_connection()  # with a BatchNormalization layer
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
    x, y = zoo.regression_data(64, seed=5, shift=5.0)  # a mean far from 0 moves BN's statistics
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    expect_moved_exactly(before, should_move=[head], during="fit() of a head on the extractor")
    moved = [f"{s.layer_name}/{s.short_name}" for s in before_pretrained.states
             if not np.array_equal(s.value, s.variable.numpy())]
    expect(not moved,
           f"fitting a head on the extractor changed weights of the pretrained model: "
           f"{', '.join(moved)}. A layer whose variables are frozen one by one is still a "
           f"trainable layer: a BatchNormalization layer then stays in training mode and updates "
           f"its moving statistics. Freeze the extractor itself (extractor.trainable = False)")


def test_pretrained_keeps_training_its_layers_after_the_cut(kata):
    pretrained = zoo.pretrained_mlp()  # input, dense_a, dropout, dense_b, flatten, dense_c, out
    layer = pretrained.get_layer
    layer("out").trainable = False  # frozen on purpose before the cut is made
    extract(kata, pretrained, "dense_b")
    before = snapshot(pretrained)
    zoo.compile_ready_to_fit(pretrained, keras.optimizers.Adam(1e-2), "mse")
    pretrained.fit(*zoo.regression_data(32, seed=6), epochs=1, batch_size=8, verbose=0)
    try:
        expect_moved_exactly(before, should_move=[layer("dense_c")],
                             during="fit() of the pretrained model itself")
    except KataFailure as failure:
        raise KataFailure(
            f"feature_extractor(pretrained, 'dense_b') should freeze the extractor's layers only "
            f"(input to dense_b): the layers of pretrained after the cut keep their flags, so "
            f"'dense_c' still trains and 'out', frozen before the call, stays frozen.\n"
            f"{failure}") from None


def test_an_unknown_layer_name_raises_value_error(kata):
    pretrained = zoo.pretrained_mlp()
    with pytest.raises(ValueError):
        kata.feature_extractor(pretrained, "no_such_layer")
        pytest.fail("feature_extractor(pretrained, 'no_such_layer') should raise ValueError: the "
                    "pretrained model has no layer of that name")
