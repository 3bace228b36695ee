"""Kata 7: freeze or unfreeze layers whose names match a pattern."""
import keras
import pytest

from dojo import zoo
from dojo.checks import expect, expect_flags, expect_moved_exactly, leaf_layers, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k07_freeze_by_pattern/ that break only it.
REQUIREMENTS = {
    "match the leaf layers of nested models at any depth": (
        "test_freeze_one_block_then_unfreeze_another_inside_a_frozen_encoder",
        ["top_level_only", "searches_one_level_deep"]),
    "a nested model is not a leaf layer: its own name never matches": (
        "test_star_matches_every_leaf_layer_and_no_nested_model", ["includes_nested_models"]),
    "layers without weights are leaf layers too": (
        "test_star_matches_every_leaf_layer_and_no_nested_model", ["skips_weightless_layers"]),
    "the pattern is an fnmatchcase glob on the whole name, not a regex or a substring": (
        "test_glob_wildcards_are_not_regex_or_substrings", ["regex_match", "substring"]),
    "matching is case-sensitive": (
        "test_a_pattern_that_matches_nothing_raises_and_changes_nothing", ["ignores_case"]),
    "set layer.trainable = trainable on every match, to unfreeze too": (
        "test_freeze_one_block_then_unfreeze_another_inside_a_frozen_encoder", ["always_freezes"]),
    "every layer that does not match keeps its flag": (
        "test_glob_wildcards_are_not_regex_or_substrings", ["flips_the_other_layers"]),
    "the nested models' own flags are left as they are": (
        "test_freeze_one_block_then_unfreeze_another_inside_a_frozen_encoder",
        ["unfreezes_the_parents"]),
    "return the matching names in model order": (
        "test_freeze_one_block_then_unfreeze_another_inside_a_frozen_encoder", ["sorts_the_names"]),
    "layers whose flag already had that value are returned too": (
        "test_star_matches_every_leaf_layer_and_no_nested_model", ["lists_only_changed_layers"]),
    "nothing matches: ValueError that names the pattern, and no flag changes": (
        "test_a_pattern_that_matches_nothing_raises_and_changes_nothing",
        ["silent_no_match", "error_without_the_pattern"]),
}


def build_model():
    """Input 'features' -> encoder (a nested Sequential named by block) -> Dense 'head'.

    encoder: block1_dense, block1_norm, block1_drop, stage2, top_dense.
    stage2 (a Sequential inside encoder, so two models deep): block2_dense, block2_norm.
    """
    stage2 = keras.Sequential([
        keras.Input((16,)),
        keras.layers.Dense(16, activation="tanh", name="block2_dense"),
        keras.layers.BatchNormalization(name="block2_norm"),
    ], name="stage2")
    encoder = keras.Sequential([
        keras.Input((zoo.INPUT_DIM,)),
        keras.layers.Dense(16, activation="tanh", name="block1_dense"),
        keras.layers.BatchNormalization(name="block1_norm"),
        keras.layers.Dropout(0.1, name="block1_drop"),
        stage2,
        keras.layers.Dense(8, activation="tanh", name="top_dense"),
    ], name="encoder")
    inputs = keras.Input((zoo.INPUT_DIM,), name="features")
    outputs = keras.layers.Dense(1, name="head")(encoder(inputs))
    return keras.Model(inputs, outputs, name="model"), encoder, stage2


LEAVES = ["features", "block1_dense", "block1_norm", "block1_drop", "block2_dense", "block2_norm",
          "top_dense", "head"]


def pick(model, *names):
    """Leaf layers by name, wherever they are nested."""
    by_name = {layer.name: layer for layer in leaf_layers(model)}
    return [by_name[name] for name in names]


def call(kata, model, pattern, trainable, expected):
    shown = f"set_trainable_by_pattern(model, {pattern!r}, {trainable})"
    result = kata.set_trainable_by_pattern(model, pattern, trainable)
    expect(isinstance(result, list) and all(isinstance(name, str) for name in result),
           f"{shown} should return a list of layer names (strings), got {result!r}")
    expect(result == expected,
           f"{shown} should return {expected}: every leaf layer whose name matches the glob "
           f"(nested models searched at any depth, never matched themselves; layers without "
           f"weights and layers whose flag already had that value included), in model order; "
           f"got {result}")


def train(model):
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    x, y = zoo.regression_data(64, seed=1, shift=2.0)
    before = snapshot(model)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    return before


def test_freeze_one_block_then_unfreeze_another_inside_a_frozen_encoder(kata):
    model, _, _ = build_model()
    call(kata, model, "block1_*", False, ["block1_dense", "block1_norm", "block1_drop"])
    before = train(model)
    # block1_norm is frozen too: its gamma, beta and moving statistics stay bit-identical.
    expect_moved_exactly(before, should_move=pick(model, "block2_dense", "block2_norm",
                                                  "top_dense", "head"))

    # As after training the head on a frozen encoder: bring block 2 (two models deep) back.
    model, encoder, stage2 = build_model()
    encoder.trainable = False
    call(kata, model, "block2_*", True, ["block2_dense", "block2_norm"])
    expect(encoder.trainable is False and stage2.trainable is False,
           f"set_trainable_by_pattern should set only the flags of the matching layers: the "
           f"nested models 'encoder' and 'stage2' arrived frozen and should stay so, got "
           f"encoder.trainable={encoder.trainable}, stage2.trainable={stage2.trainable} (setting "
           f"a frozen model's flag to True unfreezes every layer inside it)")
    before = train(model)
    # The outer model trains block 2 although the models around it are frozen: fit() goes by the
    # flags of the layers (and their variables), not by those of the models that hold them.
    expect_moved_exactly(before, should_move=pick(model, "block2_dense", "block2_norm", "head"))


def test_star_matches_every_leaf_layer_and_no_nested_model(kata):
    model, encoder, stage2 = build_model()
    call(kata, model, "block1_*", False, ["block1_dense", "block1_norm", "block1_drop"])
    call(kata, model, "*", False, LEAVES)
    expect(encoder.trainable is True and stage2.trainable is True,
           "'*' matches leaf layers only: the nested models 'encoder' and 'stage2' are not leaf "
           "layers, so their own flags should stay True")
    expect_flags(model, frozen=pick(model, *LEAVES))


def test_glob_wildcards_are_not_regex_or_substrings(kata):
    model, _, _ = build_model()
    call(kata, model, "*_norm", False, ["block1_norm", "block2_norm"])
    call(kata, model, "block?_dense", False, ["block1_dense", "block2_dense"])
    call(kata, model, "top_dens[ef]", False, ["top_dense"])
    expect_flags(model, frozen=pick(model, "block1_norm", "block2_norm", "block1_dense",
                                    "block2_dense", "top_dense"),
                 trained=pick(model, "head"))
    call(kata, model, "*_norm", True, ["block1_norm", "block2_norm"])
    expect_flags(model, frozen=pick(model, "block1_dense", "block2_dense", "top_dense"),
                 trained=pick(model, "block1_norm", "block2_norm", "head"))


def test_a_pattern_that_matches_nothing_raises_and_changes_nothing(kata):
    model, _, _ = build_model()
    model.get_layer("head").trainable = False  # a partly frozen model: it must stay as it is
    for pattern, why in [("blok1_*", "a typo"), ("Block1_*", "names are case-sensitive"),
                         ("dense*", "the whole name must match, not a part of it")]:
        shown = f"set_trainable_by_pattern(model, {pattern!r}, False)"
        with pytest.raises(ValueError) as raised:
            kata.set_trainable_by_pattern(model, pattern, False)
            pytest.fail(f"{shown} should raise ValueError: no layer name matches ({why}), and a "
                        f"pattern that matches nothing must not pass silently")
        expect(pattern in str(raised.value),
               f"{shown} raised ValueError({str(raised.value)!r}): the message should name the "
               f"pattern, {pattern!r}, so that the typo can be found")
        expect_flags(model, frozen=pick(model, "head"),
                     trained=pick(model, "block1_dense", "block1_norm", "block2_dense",
                                  "block2_norm", "top_dense"))
