"""Kata 7: freeze or unfreeze the layers whose names match a pattern."""
import keras
import pytest

from dojo import zoo
from dojo.checks import expect, expect_flags, expect_moved_exactly, leaf_layers, snapshot


def build_model():
    """Input 'features' -> encoder (a nested Sequential named by block) -> Dense 'head'.

    encoder: block1_dense, block1_norm, block1_drop, block2_dense, block2_norm, top_dense.
    """
    encoder = keras.Sequential([
        keras.Input((zoo.INPUT_DIM,)),
        keras.layers.Dense(16, activation="tanh", name="block1_dense"),
        keras.layers.BatchNormalization(name="block1_norm"),
        keras.layers.Dropout(0.1, name="block1_drop"),
        keras.layers.Dense(16, activation="tanh", name="block2_dense"),
        keras.layers.BatchNormalization(name="block2_norm"),
        keras.layers.Dense(8, activation="tanh", name="top_dense"),
    ], name="encoder")
    inputs = keras.Input((zoo.INPUT_DIM,), name="features")
    outputs = keras.layers.Dense(1, name="head")(encoder(inputs))
    return keras.Model(inputs, outputs, name="model"), encoder


def pick(model, encoder, *names):
    return [model.get_layer(n) if n == "head" else encoder.get_layer(n) for n in names]


def call(kata, model, pattern, trainable, expected):
    shown = f"set_trainable_by_pattern(model, {pattern!r}, {trainable})"
    result = kata.set_trainable_by_pattern(model, pattern, trainable)
    expect(isinstance(result, list) and all(isinstance(name, str) for name in result),
           f"{shown} should return a list of layer names (strings), got {result!r}")
    expect(result == expected,
           f"{shown} should return {expected}: every leaf layer whose name matches the glob, "
           f"searching the nested 'encoder', in model order; got {result}")


def train(model, epochs=1):
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    x, y = zoo.regression_data(64, seed=1, shift=2.0)
    before = snapshot(model)
    model.fit(x, y, epochs=epochs, batch_size=16, verbose=0)
    return before


def test_freeze_one_block_then_train_only_another(kata):
    model, encoder = build_model()
    call(kata, model, "block1_*", False, ["block1_dense", "block1_norm", "block1_drop"])
    before = train(model)
    # block1_norm is frozen too: its gamma, beta and moving statistics stay bit-identical.
    expect_moved_exactly(before, should_move=pick(model, encoder, "block2_dense", "block2_norm",
                                                  "top_dense", "head"))

    # Freeze everything, then bring block 2 back: only block 2 may move in the next fit().
    everything = [layer.name for layer in leaf_layers(model)]
    call(kata, model, "*", False, everything)
    call(kata, model, "block2_*", True, ["block2_dense", "block2_norm"])
    before = train(model)
    expect_moved_exactly(before, should_move=pick(model, encoder, "block2_dense", "block2_norm"))


def test_glob_wildcards_are_not_regex_or_substrings(kata):
    model, encoder = build_model()
    call(kata, model, "*_norm", False, ["block1_norm", "block2_norm"])
    call(kata, model, "block?_dense", False, ["block1_dense", "block2_dense"])
    call(kata, model, "top_dens[ef]", False, ["top_dense"])
    expect_flags(model, frozen=pick(model, encoder, "block1_norm", "block2_norm", "block1_dense",
                                    "block2_dense", "top_dense"),
                 trained=pick(model, encoder, "head"))
    call(kata, model, "*_norm", True, ["block1_norm", "block2_norm"])
    expect_flags(model, frozen=pick(model, encoder, "block1_dense", "block2_dense", "top_dense"),
                 trained=pick(model, encoder, "block1_norm", "block2_norm", "head"))


def test_a_pattern_that_matches_nothing_raises_and_changes_nothing(kata):
    model, encoder = build_model()
    everything = pick(model, encoder, "block1_dense", "block1_norm", "block2_dense", "block2_norm",
                      "top_dense", "head")
    for pattern, why in [("blok1_*", "a typo"), ("Block1_*", "names are case-sensitive"),
                         ("dense*", "the whole name must match, not a part of it")]:
        with pytest.raises(ValueError):
            kata.set_trainable_by_pattern(model, pattern, False)
            pytest.fail(f"set_trainable_by_pattern(model, {pattern!r}, False) should raise "
                        f"ValueError: no layer name matches ({why}), and a pattern that matches "
                        f"nothing must not pass silently")
        expect_flags(model, trained=everything)
