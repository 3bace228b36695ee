"""Kata 19: freeze a shared layer in one model only (keras.ops.stop_gradient)."""
import keras
import numpy as np
import pytest

from dojo import zoo
from dojo.checks import (agree, expect, expect_moved_exactly, leaf_layers, qualified_names,
                         snapshot)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k19_freeze_shared_layer_in_one_model/ that break
# only it.
REQUIREMENTS = {
    "B uses the very encoder object, sharing its variables (no copy)": (
        "test_training_b_leaves_the_encoder_alone_while_a_still_trains_it", ["clones_the_encoder"]),
    "training B never changes the encoder, while B's head trains": (
        "test_training_b_leaves_the_encoder_alone_while_a_still_trains_it",
        ["calls_the_encoder_in_inference_mode", "freezes_only_while_building",
         "stops_the_gradient_at_the_input"]),
    "training A still changes the encoder: its trainable flags are left alone": (
        "test_training_b_leaves_the_encoder_alone_while_a_still_trains_it",
        ["freezes_the_shared_encoder", "freezes_a_wrapper", "makes_every_encoder_layer_trainable"]),
    "B is Input -> encoder -> a new Dense(units) head without activation": (
        "test_b_is_a_plain_dense_head_on_the_encoders_output", ["head_with_an_activation"]),
    "the encoder may be a single layer or a model of any kind (functional included)": (
        "test_b_is_a_plain_dense_head_on_the_encoders_output",
        ["calls_the_encoder_layers_one_by_one"]),
    "B is returned uncompiled": (
        "test_b_is_a_plain_dense_head_on_the_encoders_output", ["compiles_model_b"]),
}

INPUT_DIM = 8

# fit() on model B warns "Gradients do not exist for variables [encoder ...]": that is the point.
pytestmark = pytest.mark.filterwarnings("ignore:Gradients do not exist")


def data(units_a=2, units_b=3, n=64, d=INPUT_DIM, seed=19):
    """x, and smooth targets for model A (units_a columns) and model B (units_b columns)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    y_a = np.tanh(x @ rng.normal(size=(d, units_a)) / np.sqrt(d)).astype("float32")
    y_b = np.tanh(x @ rng.normal(size=(d, units_b)) / np.sqrt(d)).astype("float32")
    return x, y_a, y_b


def small_encoder():
    return keras.Sequential([
        keras.Input((INPUT_DIM,)),
        keras.layers.Dense(6, activation="tanh", name="enc_1"),
        keras.layers.Dense(4, activation="tanh", name="enc_2"),
    ], name="encoder")


def functional_encoder():
    """A functional encoder with a skip connection: enc_a, then enc_b, then enc_a's output added."""
    inputs = keras.Input((INPUT_DIM,))
    h = keras.layers.Dense(4, activation="tanh", name="enc_a")(inputs)
    outputs = keras.layers.Add(name="enc_skip")([h, keras.layers.Dense(4, activation="tanh",
                                                                       name="enc_b")(h)])
    return keras.Model(inputs, outputs, name="encoder")


def encoder_leaves(encoder):
    """The layers with weights that make up the encoder (the encoder itself for a plain layer)."""
    layers = leaf_layers(encoder) if isinstance(encoder, keras.Model) else [encoder]
    return [layer for layer in layers if layer.weights]


def build_b(kata, encoder, input_shape, units, x):
    """Call the kata and check what it returns: a model B on this very encoder."""
    model_b = kata.build_model_with_frozen_encoder(encoder, input_shape, units)
    expect(isinstance(model_b, keras.Model),
           f"build_model_with_frozen_encoder must return model B, a keras.Model, got {model_b!r}")
    shape = tuple(model_b(x[:2]).shape)
    expect(shape == (2, units),
           f"model B should map a batch of 2 inputs to shape (2, {units}) (a Dense({units}) head), "
           f"got output shape {shape}")
    shared = {id(v) for v in model_b.weights}
    for layer in encoder_leaves(encoder):
        expect(all(id(v) in shared for v in layer.weights),
               f"model B does not use the encoder it was given: the variables of layer "
               f"'{layer.name}' are not among model B's weights. Build B on the same encoder "
               f"object; a copy has variables of its own, so it does not share what model A learns")
    encoder_ids = {id(layer) for layer in encoder_leaves(encoder)}
    heads = [layer for layer in leaf_layers(model_b)
             if layer.weights and id(layer) not in encoder_ids]
    expect(heads, "model B has no layer with weights besides the encoder: it needs a new "
                  f"Dense({units}) head on top of the encoder")
    return model_b, heads


def fit(model, x, y, optimizer):
    zoo.compile_ready_to_fit(model, optimizer, "mse")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)  # 4 steps


def test_training_b_leaves_the_encoder_alone_while_a_still_trains_it(kata):
    x, y_a, y_b = data()
    encoder = small_encoder()
    enc_1, enc_2 = encoder.get_layer("enc_1"), encoder.get_layer("enc_2")
    enc_1.trainable = False  # model A fine-tunes only the top of the encoder
    inputs = keras.Input((INPUT_DIM,))
    head_a = keras.layers.Dense(2, name="head_a")
    model_a = keras.Model(inputs, head_a(encoder(inputs)), name="model_a")
    fit(model_a, x, y_a, keras.optimizers.Adam(1e-2))  # A has fine-tuned the encoder once

    model_b, heads = build_b(kata, encoder, (INPUT_DIM,), 3, x)
    before_b = snapshot(model_b)
    fit(model_b, x, y_b, keras.optimizers.Adam(1e-2))
    expect_moved_exactly(before_b, should_move=heads, during="fit() on model B")

    before_a = snapshot(model_a)
    names = qualified_names(model_a)
    fit(model_a, x, y_a, keras.optimizers.Adam(1e-2))  # recompiled, as after any change
    expect(before_a.layer_change(enc_2) != 0.0,
           f"model A was recompiled and trained again, but layer '{names[id(enc_2)]}' of the "
           f"shared encoder did not change: the encoder is frozen in model A too. Did "
           f"build_model_with_frozen_encoder set a trainable flag to False (the encoder's, or "
           f"that of a model wrapping it)? A flag belongs to the layer and applies to every "
           f"model that uses it; freeze the encoder in B's graph instead")
    expect(before_a.layer_change(enc_1) == 0.0,
           f"model A had frozen layer '{names[id(enc_1)]}' of the encoder before "
           f"build_model_with_frozen_encoder was called, but after it that layer trained in "
           f"model A: its trainable flag was changed. Leave the encoder's flags as they are")
    expect_moved_exactly(before_a, should_move=[enc_2, head_a], during="fit() on model A")


def test_b_is_a_plain_dense_head_on_the_encoders_output(kata):
    x, _, _ = data()
    encoder = functional_encoder()  # a functional encoder, with a branch
    inputs = keras.Input((INPUT_DIM,))
    keras.Model(inputs, keras.layers.Dense(2, name="head_a")(encoder(inputs)), name="model_a")

    model_b, heads = build_b(kata, encoder, (INPUT_DIM,), 3, x)
    expect(getattr(model_b, "optimizer", None) is None,
           "build_model_with_frozen_encoder returned model B compiled: return it uncompiled, the "
           "caller compiles it with their own optimizer and loss")
    expect(len(heads) == 1 and isinstance(heads[0], keras.layers.Dense),
           f"model B's head should be one new Dense(3) layer on the encoder's output, but B's "
           f"layers with weights besides the encoder are {[layer.name for layer in heads]}")
    head = heads[0]
    features = np.asarray(encoder(x))
    want = features @ head.kernel.numpy() + head.bias.numpy()
    got = np.asarray(model_b(x))
    expect(agree(got, want),
           f"model B should compute encoder(x) @ kernel + bias with the kernel and bias of its "
           f"Dense(3) head and no activation, but its output differs from that by up to "
           f"{np.abs(got - want).max():.2g}. Call the encoder itself on B's input (whatever kind "
           f"of layer or model it is) and put a plain Dense(units) on its output")


def test_a_single_shared_layer_works_as_the_encoder(kata):
    x, y_a, y_b = data(units_a=1, units_b=2, d=5, seed=20)
    encoder = keras.layers.Dense(3, activation="tanh", name="shared_dense")
    inputs = keras.Input((5,))
    keras.Model(inputs, keras.layers.Dense(1, name="head_a")(encoder(inputs)), name="model_a")

    model_b, heads = build_b(kata, encoder, (5,), 2, x)
    before_b = snapshot(model_b)
    fit(model_b, x, y_b, keras.optimizers.SGD(0.1))
    expect_moved_exactly(before_b, should_move=heads, during="fit() on model B")
