"""Kata 5: report a partly frozen model's capacity (practice challenge 5)."""
import keras
import pytest

from dojo import zoo
from dojo.checks import (count_scalars, expect, expect_moved_exactly, is_trained, leaf_layers,
                         snapshot, trainable_ids, weighted_leaf_layers)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k05_capacity_report/ that break only it.
REQUIREMENTS = {
    "the counts are the scalars of model.trainable_weights and model.non_trainable_weights": (
        "test_the_report_counts_what_fit_can_change",
        ["counts_whole_layers", "concatenates_the_weights"]),
    "the counts are plain Python ints": (
        "test_the_report_counts_what_fit_can_change", ["returns_numpy_ints"]),
    "the dict has exactly the four keys": (
        "test_the_report_counts_what_fit_can_change", ["adds_a_total"]),
    "the lists name layers in model order": (
        "test_the_report_counts_what_fit_can_change", ["sorts_the_names"]),
    "leaf layers only, at any depth of nesting, never a nested model": (
        "test_the_report_counts_what_fit_can_change", ["top_level_only", "looks_one_level_deep"]),
    "every layer that owns weights is in one of the lists, in any kind of model": (
        "test_the_report_counts_what_fit_can_change", ["skips_the_first_layer"]),
    "layers without weights appear in neither list": (
        "test_the_report_counts_what_fit_can_change", ["lists_weightless_layers"]),
    "a layer is trainable when at least one of its weights is in model.trainable_weights": (
        "test_fit_changes_exactly_the_layers_the_report_calls_trainable",
        ["requires_every_weight_trainable"]),
    "what fit() trains is model.trainable_weights, whatever the flags say": (
        "test_fit_changes_exactly_the_layers_the_report_calls_trainable",
        ["trusts_layer_flags", "compares_variables_with_in"]),
    "only look at the model: change no flag": (
        "test_the_report_counts_what_fit_can_change", ["unfreezes_the_base_to_look_inside"]),
}

KEYS = ("trainable_params", "non_trainable_params", "trainable_layers", "frozen_layers")
ALL = ["base_dense_1", "base_bn", "base_dense_2", "base_dense_3", "head"]

# zoo.with_head(zoo.pretrained_base()), weight by weight (Dense 8->16: an 8x16 kernel + 16 biases):
#   base_dense_1  Dense 8->16         8*16 + 16 = 144
#   base_bn       BatchNormalization  gamma 16 + beta 16 = 32 trainable,
#                                     moving_mean 16 + moving_variance 16 = 32 non-trainable
#   base_dense_2  Dense 16->16        16*16 + 16 = 272
#   base_dropout  Dropout             no weights
#   base_dense_3  Dense 16->8         16*8 + 8 = 136
#   head          Dense 8->1          8*1 + 1 = 9
# All trainable: 144 + 32 + 272 + 136 + 9 = 593 trainable, 32 non-trainable, 625 in total.


def base_of(model):
    return model.get_layer("base")


def base_with_head():
    return zoo.with_head(zoo.pretrained_base())


def nothing_frozen():
    return base_with_head()


def model_frozen():
    model = base_with_head()
    model.trainable = False
    return model


def base_frozen():
    model = base_with_head()
    base_of(model).trainable = False
    return model


def base_frozen_but_its_last_layer():
    model = base_frozen()
    base_of(model).get_layer("base_dense_3").trainable = True  # the outer model still trains it
    return model


def variables_frozen_one_by_one():
    model = base_with_head()
    dense_2 = base_of(model).get_layer("base_dense_2")
    dense_2.kernel.trainable = False
    dense_2.bias.trainable = False  # dense_2.trainable stays True
    base_of(model).get_layer("base_dense_1").bias.trainable = False  # its kernel still trains
    return model


def nested_two_deep():
    """The model of "base frozen but its last layer" inside one more functional model."""
    inner = base_frozen_but_its_last_layer()
    inputs = keras.Input(inner.input_shape[1:])
    return keras.Model(inputs, inner(inputs), name="outer")


def flat_sequential():
    """The lesson's example: a Sequential model lists no InputLayer, and nests nothing."""
    model = keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(3, name="d1"),            # kernel 4*3 + bias 3 = 15
        keras.layers.BatchNormalization(name="bn"),  # gamma 3 + beta 3; moving mean 3 + var 3
        keras.layers.Dropout(0.5, name="drop"),      # no weights
        keras.layers.Dense(1, name="out"),           # kernel 3*1 + bias 1 = 4
    ])
    model.get_layer("d1").trainable = False
    return model


# build, trainable_params, non_trainable_params, trainable_layers, frozen_layers, the arithmetic
STATES = {
    "nothing frozen": (
        nothing_frozen, 593, 32, ALL, [],
        "144 + 32 + 272 + 136 + 9 = 593 trainable; BatchNormalization's moving mean and variance "
        "(16 + 16 = 32) are non-trainable even when nothing is frozen, yet base_bn is trained"),
    "the model frozen": (
        model_frozen, 0, 625, [], ALL,
        "model.trainable = False: nothing is trainable, all 625 parameters are non-trainable"),
    "base frozen": (
        base_frozen, 9, 616, ["head"], ALL[:-1],
        "base.trainable = False leaves only the head: 8*1 + 1 = 9 trainable, 625 - 9 = 616 "
        "non-trainable"),
    "base frozen but its last layer": (
        base_frozen_but_its_last_layer, 145, 480, ["base_dense_3", "head"], ALL[:3],
        "base.trainable is False, but base_dense_3's own flag is True and the outer model still "
        "trains it: 136 + 9 = 145 trainable, 625 - 145 = 480 non-trainable"),
    "variables frozen one by one": (
        variables_frozen_one_by_one, 305, 320,
        ["base_dense_1", "base_bn", "base_dense_3", "head"], ["base_dense_2"],
        "every flag is True, but base_dense_2's kernel and bias and base_dense_1's bias were frozen "
        "with variable.trainable = False: 593 - 272 - 16 = 305 trainable, 32 + 272 + 16 = 320 "
        "non-trainable; base_dense_1 keeps a trainable kernel, so it is still trained"),
    "a base nested two deep": (
        nested_two_deep, 145, 480, ["base_dense_3", "head"], ALL[:3],
        "the model of 'base frozen but its last layer' inside one more model: its layers are two "
        "levels down, and the counts do not change"),
    "a flat Sequential model": (
        flat_sequential, 10, 21, ["bn", "out"], ["d1"],
        "d1 is frozen (4*3 + 3 = 15); bn's gamma and beta (3 + 3) and out (3*1 + 1 = 4) train: "
        "10 trainable, 15 + 6 = 21 non-trainable. model.layers of a Sequential model has no "
        "InputLayer: d1 is its first entry"),
}


def frozen_model(state):
    return STATES[state][0]()


def report_of(kata, model):
    """Call capacity_report and check the shape of its answer; the model must not change."""
    flags_before = trainable_ids(model)
    report = kata.capacity_report(model)
    expect(isinstance(report, dict),
           f"capacity_report must return a dict with the keys {', '.join(KEYS)}, got {report!r}")
    expect(set(report) == set(KEYS),
           f"capacity_report's dict must have exactly the keys {', '.join(KEYS)}, "
           f"got {sorted(report)}")
    for key in KEYS[:2]:
        value = report[key]
        expect(isinstance(value, int) and not isinstance(value, bool),
               f"report['{key}'] should be a Python int, got {value!r} of type "
               f"{type(value).__name__} (wrap a NumPy number in int(...))")
    for key in KEYS[2:]:
        names = report[key]
        expect(isinstance(names, list) and all(isinstance(n, str) for n in names),
               f"report['{key}'] should be a list of layer names (str), got {names!r}")
    expect(trainable_ids(model) == flags_before,
           "capacity_report changed which weights are trainable: a report only looks at the model")
    return report


def nested_models(model):
    """Every model nested in `model`, at any depth."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield layer
            yield from nested_models(layer)


def expect_leaf_layers_with_weights(report, model):
    """Every name in the report is a leaf layer of `model` that owns weights."""
    leaves = {layer.name: layer for layer in leaf_layers(model)}
    nested = {layer.name for layer in nested_models(model)}
    for key in KEYS[2:]:
        for name in report[key]:
            expect(name not in nested,
                   f"report['{key}'] lists '{name}', a nested model: list the layers inside it "
                   f"instead")
            expect(name in leaves,
                   f"report['{key}'] lists '{name}', which is not a layer of the model")
            expect(leaves[name].weights,
                   f"report['{key}'] lists '{name}', which has no weights: a layer without "
                   f"weights belongs in neither list")
    return leaves


def expect_names(report, key, expected, why):
    got = report[key]
    expect(got == expected or sorted(got) != sorted(expected),
           f"report['{key}'] has the right layers in the wrong order: {got}. List them in model "
           f"order, {expected}: walk model.layers and step into a nested model where it appears")
    expect(got == expected, f"report['{key}'] should be {expected} (leaf layers with weights, in "
                            f"model order), got {got}: {why}")


@pytest.mark.parametrize("state", list(STATES))
def test_the_report_counts_what_fit_can_change(kata, state):
    _, trainable, non_trainable, trainable_layers, frozen_layers, why = STATES[state]
    model = frozen_model(state)
    # The literals above are the lesson's arithmetic: check them against Keras before blaming anyone.
    changed = "kit error: a model of STATES changed; update STATES in this test file"
    assert count_scalars(model.trainable_weights) == trainable, changed
    assert count_scalars(model.non_trainable_weights) == non_trainable, changed
    weighted = weighted_leaf_layers(model)
    trained = [layer.name for layer in weighted if is_trained(model, layer)]
    assert trained == trainable_layers, changed
    assert [layer.name for layer in weighted if layer.name not in trained] == frozen_layers, changed

    report = report_of(kata, model)
    expect(report["trainable_params"] == trainable,
           f"with {state}, trainable_params should be {trainable} (the scalars in "
           f"model.trainable_weights), got {report['trainable_params']}: {why}")
    expect(report["non_trainable_params"] == non_trainable,
           f"with {state}, non_trainable_params should be {non_trainable} (the scalars in "
           f"model.non_trainable_weights), got {report['non_trainable_params']}: {why}")
    expect_leaf_layers_with_weights(report, model)
    expect_names(report, "trainable_layers", trainable_layers, why)
    expect_names(report, "frozen_layers", frozen_layers, why)


@pytest.mark.parametrize("state", ["base frozen but its last layer",
                                   "variables frozen one by one"])
def test_fit_changes_exactly_the_layers_the_report_calls_trainable(kata, state):
    model = frozen_model(state)
    report = report_of(kata, model)
    leaves = expect_leaf_layers_with_weights(report, model)

    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    before = snapshot(model)
    model.fit(*zoo.regression_data(64, seed=5), epochs=1, batch_size=16, verbose=0)  # 4 steps
    for name in report["frozen_layers"]:
        change = before.layer_change(leaves[name])
        expect(change == 0.0,
               f"the report puts '{name}' in frozen_layers, but fit() moved its weights by "
               f"{change:.1e}: it is trained")
    for name in report["trainable_layers"]:
        expect(before.layer_change(leaves[name]) > 0.0,
               f"the report puts '{name}' in trainable_layers, but fit() left every one of its "
               f"weights bit-identical: it is frozen")
    expect_moved_exactly(before, should_move=[leaves[n] for n in report["trainable_layers"]])
