"""Kata 23: save and restore which layers are frozen."""
import json

import keras
import numpy as np
import pytest

from dojo import zoo
from dojo.checks import KataFailure, expect, expect_flags, expect_moved_exactly, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k23_save_and_restore_freeze_state/ that break
# only it.
REQUIREMENTS = {
    "the state names every weighted leaf layer by its path of layer names, at any depth": (
        "test_the_state_is_json_and_names_every_weighted_layer_by_its_path",
        ["keeps_only_model_trainable", "top_level_only", "walks_two_levels_only",
         "keys_by_variable_path"]),
    "the state survives a JSON round trip": (
        "test_the_state_is_json_and_names_every_weighted_layer_by_its_path", ["tuple_keys"]),
    "set_freeze_state restores the flags on a model reloaded from a .keras file": (
        "test_the_state_restores_a_reloaded_model_and_fit_keeps_the_frozen_layers",
        ["unfreezes_all_then_freezes_the_false_ones"]),
    "it restores whatever happened to the flags in between (frozen or unfrozen as a whole)": (
        "test_the_state_restores_freezes_erased_by_the_base_flag", ["restore_does_nothing"]),
    "a model frozen as a whole trains its layers again after the restore": (
        "test_the_state_restores_a_reloaded_model_and_fit_keeps_the_frozen_layers",
        ["leaves_models_frozen"]),
    "a name that matches no layer raises KeyError": (
        "test_the_state_is_json_and_names_every_weighted_layer_by_its_path",
        ["skips_unknown_names"]),
    "the KeyError comes before any flag changes: the model is left as it was": (
        "test_the_state_is_json_and_names_every_weighted_layer_by_its_path",
        ["raises_midway_on_an_unknown_name"]),
}

# Weighted leaf layers by their path of layer names: frozen in the plan, or trainable.
FROZEN = ("base/base_dense_1", "base/block/base_bn", "base/base_dense_3")
TRAINED = ("base/block/base_dense_2", "head")


def build_model():
    """Input 'pixels' -> nested Sequential 'base' (with a Sequential 'block' nested in it) -> Dense
    'head'. Every layer is named, so a second build has the same names. Weighted leaf layers:
    base/base_dense_1, base/block/base_bn, base/block/base_dense_2, base/base_dense_3, head."""
    block = keras.Sequential([
        keras.layers.BatchNormalization(name="base_bn"),
        keras.layers.Dense(8, activation="tanh", name="base_dense_2"),
    ], name="block")
    base = keras.Sequential([
        keras.Input((8,)),
        keras.layers.Dense(8, activation="tanh", name="base_dense_1"),
        block,
        keras.layers.Dropout(0.2, name="base_dropout"),
        keras.layers.Dense(4, activation="tanh", name="base_dense_3"),
    ], name="base")
    inputs = keras.Input((8,), name="pixels")
    outputs = keras.layers.Dense(1, name="head")(base(inputs))
    return keras.Model(inputs, outputs, name="classifier")


def layer_at(model, path):
    layer = model
    for name in path.split("/"):
        layer = layer.get_layer(name)
    return layer


def frozen_and_trained(model):
    return [layer_at(model, path) for path in FROZEN], [layer_at(model, path) for path in TRAINED]


def with_the_plan(model):
    """The freeze plan the tests save: three base layers frozen one by one (not a prefix, not a
    suffix, one of them inside the nested block), base_dense_2 and the head trainable; the flags
    of the models themselves (classifier, base, block) stay True."""
    frozen, _ = frozen_and_trained(model)
    for layer in frozen:
        layer.trainable = False
    return model


def data(n=128, seed=0):
    """Inputs far from 0 (mean 5, std 3): an unfrozen BatchNormalization would move its stats."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype("float32")
    y = np.tanh(x @ rng.normal(size=(8, 1)).astype("float32") / 3).astype("float32")
    return x * 3 + 5, y


def json_text(state):
    expect(isinstance(state, dict),
           f"get_freeze_state should return a dict (layer name -> True/False), got {state!r}")
    try:
        text = json.dumps(state)
    except (TypeError, ValueError) as error:
        raise KataFailure(
            f"get_freeze_state's result must be JSON-serialisable (str keys, bool values), but "
            f"json.dumps raised {type(error).__name__}: {error}") from None
    expect(json.loads(text) == state,
           "get_freeze_state's result changes on a JSON round trip "
           "(json.loads(json.dumps(state)) != state): use str keys and True/False values")
    return text


def test_the_state_is_json_and_names_every_weighted_layer_by_its_path(kata):
    model = with_the_plan(build_model())
    frozen, trained = frozen_and_trained(model)
    state = kata.get_freeze_state(model)
    json_text(state)
    expected = {path: False for path in FROZEN}
    expected.update({path: True for path in TRAINED})
    for name, flag in expected.items():
        expect(name in state,
               f"the state should name layer '{name}' (the path of layer names from the model: a "
               f"nested model's name, '/', the layer's name), but its keys are {sorted(state)}")
        expect(state[name] is flag,
               f"state['{name}'] should be {flag} (that layer's trainable flag), got "
               f"{state[name]!r}")
    expect_flags(model, frozen=frozen, trained=trained)  # reading the state changes nothing

    twin = build_model()  # a second build: same names, every layer trainable
    kata.set_freeze_state(twin, state)
    expect_flags(twin, *frozen_and_trained(twin))
    # Every known flag flipped, then a name that matches no layer: nothing may change.
    flipped = {name: not trainable for name, trainable in state.items()}
    with pytest.raises(KeyError):
        kata.set_freeze_state(twin, {**flipped, "base/base_dense_9": False})
        pytest.fail("set_freeze_state(model, state) with a name that matches no layer of the "
                    "model ('base/base_dense_9') should raise KeyError, not silently skip it")
    frozen, trained = frozen_and_trained(twin)
    changed = [layer.name for layer in frozen if layer.trainable]
    changed += [layer.name for layer in trained if not layer.trainable]
    expect(not changed,
           f"set_freeze_state raised KeyError for 'base/base_dense_9', but only after changing "
           f"the flag of {', '.join(changed)}: a state that cannot be restored should leave the "
           f"model as it was. Check every name of the state before changing any flag")


def test_the_state_restores_a_reloaded_model_and_fit_keeps_the_frozen_layers(kata, tmp_path):
    model = with_the_plan(build_model())
    text = json_text(kata.get_freeze_state(model))  # saved next to the model, as JSON
    model.trainable = False  # then the model was frozen for serving, and saved that way
    path = tmp_path / "m.keras"
    model.save(path)

    reloaded = keras.models.load_model(path)
    kata.set_freeze_state(reloaded, json.loads(text))
    frozen, trained = frozen_and_trained(reloaded)
    expect_flags(reloaded, frozen=frozen, trained=trained)
    again = kata.get_freeze_state(reloaded)
    expect(again == json.loads(text),
           f"get_freeze_state(reloaded) should give back the state that set_freeze_state just "
           f"restored, {json.loads(text)}, but gave {again}")

    zoo.compile_ready_to_fit(reloaded, keras.optimizers.Adam(1e-2), "mse")
    before = snapshot(reloaded)
    reloaded.fit(*data(), epochs=1, batch_size=32, verbose=0)
    expect_moved_exactly(before, trained, during="fit() of the reloaded model")


def test_the_state_restores_freezes_erased_by_the_base_flag(kata):
    model = with_the_plan(build_model())
    base = model.get_layer("base")
    frozen, trained = frozen_and_trained(model)
    state = kata.get_freeze_state(model)

    base.trainable = False  # freezes every layer of the base, base_dense_2 included
    kata.set_freeze_state(model, state)
    expect_flags(model, frozen=frozen, trained=trained)

    base.trainable = False
    base.trainable = True  # unfreezes every layer of the base: the individual freezes are gone
    assert all(layer.trainable for layer in frozen)
    kata.set_freeze_state(model, state)
    expect_flags(model, frozen=frozen, trained=trained)
