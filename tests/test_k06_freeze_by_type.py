"""Kata 6: freeze every layer of a given type, nested ones included."""
import keras

from dojo import zoo
from dojo.checks import expect, expect_flags, expect_moved_exactly, leaf_layers, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k06_freeze_by_type/ that break only it.
REQUIREMENTS = {
    "layer_types may be a single class, as isinstance accepts it": (
        "test_every_dense_layer_is_frozen_at_any_depth_subclasses_too",
        ["iterates_over_layer_types"]),
    "subclasses of a type match it": (
        "test_every_dense_layer_is_frozen_at_any_depth_subclasses_too", ["compares_class_names"]),
    "nested models are searched at any depth": (
        "test_every_dense_layer_is_frozen_at_any_depth_subclasses_too",
        ["top_level_only", "searches_one_level_deep"]),
    "a nested model is never frozen as a whole": (
        "test_every_dense_layer_is_frozen_at_any_depth_subclasses_too",
        ["freezes_nested_model_whole"]),
    "return the matching layers' names, in model order": (
        "test_every_dense_layer_is_frozen_at_any_depth_subclasses_too",
        ["returns_the_layers", "uses_flatten_layers"]),
    "every other layer keeps its flag": (
        "test_a_tuple_of_types_leaves_every_other_flag_alone", ["unfreezes_the_other_layers"]),
    "a matching layer already frozen is listed too": (
        "test_a_tuple_of_types_leaves_every_other_flag_alone", ["skips_already_frozen"]),
    "a nested model keeps its own flag: a frozen base stays frozen": (
        "test_a_base_that_arrives_frozen_stays_frozen", ["unfreezes_nested_models"]),
    "no match: return an empty list": (
        "test_no_match_returns_an_empty_list_and_changes_no_flag", ["raises_when_nothing_matches"]),
}


class TunedDense(keras.layers.Dense):
    """A library's own Dense layer: a subclass, so isinstance(layer, Dense) is True."""


def build_model():
    """Input 'features' -> backbone -> head (a Dense), the base two models deep:

    backbone (a Sequential): base, adapter (a TunedDense).
    base (a Sequential, inside backbone): base_dense_1, base_bn, base_dense_2, base_dropout,
    base_dense_3.
    """
    base = zoo.pretrained_base()
    backbone = keras.Sequential([keras.Input((zoo.INPUT_DIM,)), base,
                                 TunedDense(8, activation="tanh", name="adapter")], name="backbone")
    inputs = keras.Input((zoo.INPUT_DIM,), name="features")
    outputs = keras.layers.Dense(1, name="head")(backbone(inputs))
    return keras.Model(inputs, outputs, name="classifier"), backbone, base


def pick(model, *names):
    """Leaf layers by name, wherever they are nested."""
    by_name = {layer.name: layer for layer in leaf_layers(model)}
    return [by_name[name] for name in names]


def expect_names(result, expected, call):
    expect(isinstance(result, list) and all(isinstance(name, str) for name in result),
           f"{call} should return a list of layer names (strings), got {result!r}")
    missing = [name for name in expected if name not in result]
    extra = [name for name in result if name not in expected]
    detail = (f"missing {missing}" if missing else "") + ("; " if missing and extra else "") + (
        f"not expected {extra}" if extra else "") or "the same names in another order"
    expect(result == expected,
           f"{call} should return {expected} (every matching layer, nested ones at any depth, "
           f"subclasses and layers frozen before included, in model order), got {result}: {detail}")


def test_every_dense_layer_is_frozen_at_any_depth_subclasses_too(kata):
    model, backbone, base = build_model()
    result = kata.freeze_by_type(model, keras.layers.Dense)
    dense = ["base_dense_1", "base_dense_2", "base_dense_3", "adapter", "head"]
    expect_names(result, dense, "freeze_by_type(model, keras.layers.Dense)")
    for nested in (backbone, base):
        expect(nested.trainable is True,
               f"freeze_by_type must search the nested model '{nested.name}', not freeze it as a "
               f"whole: {nested.name}.trainable should still be True")
    bn = base.get_layer("base_bn")
    expect_flags(model, frozen=pick(model, *dense), trained=[bn])

    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    x, y = zoo.regression_data(64, seed=1, shift=2.0)
    before = snapshot(model)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    # Every Dense layer, the TunedDense adapter included, stays bit-identical; base_bn trains.
    expect_moved_exactly(before, should_move=[bn])


def test_a_tuple_of_types_leaves_every_other_flag_alone(kata):
    model, _, _ = build_model()
    # Frozen before the call: head (not a match) must stay frozen; base_bn (a match) is listed.
    for layer in pick(model, "head", "base_bn"):
        layer.trainable = False
    result = kata.freeze_by_type(model, (keras.layers.BatchNormalization, TunedDense))
    expect_names(result, ["base_bn", "adapter"],
                 "freeze_by_type(model, (keras.layers.BatchNormalization, TunedDense)), with "
                 "base_bn and head frozen before the call,")
    expect_flags(model, frozen=pick(model, "base_bn", "adapter", "head"),
                 trained=pick(model, "base_dense_1", "base_dense_2", "base_dense_3"))


def test_no_match_returns_an_empty_list_and_changes_no_flag(kata):
    model, _, _ = build_model()
    model.get_layer("head").trainable = False
    result = kata.freeze_by_type(model, keras.layers.Conv2D)
    expect_names(result, [], "freeze_by_type(model, keras.layers.Conv2D) on a model without Conv2D")
    expect_flags(model, frozen=pick(model, "head"),
                 trained=pick(model, "base_dense_1", "base_bn", "base_dense_2", "base_dense_3",
                              "adapter"))


def test_a_base_that_arrives_frozen_stays_frozen(kata):
    model, _, base = build_model()
    base.trainable = False  # as after training a head on the frozen base
    result = kata.freeze_by_type(model, keras.layers.BatchNormalization)
    expect_names(result, ["base_bn"],
                 "freeze_by_type(model, keras.layers.BatchNormalization) with the base frozen")
    expect(base.trainable is False,
           "the nested model 'base' arrived frozen and must stay frozen: freeze_by_type changes "
           "only the flags of matching layers, never a nested model's own flag")
    expect_flags(model,
                 frozen=pick(model, "base_dense_1", "base_bn", "base_dense_2", "base_dense_3"),
                 trained=pick(model, "adapter", "head"))
