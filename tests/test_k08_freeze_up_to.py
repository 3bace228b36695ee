"""Kata 8: the fine_tune_at recipe: freeze everything up to a named layer (practice challenge 2)."""
import keras
import pytest

from dojo import zoo
from dojo.checks import expect, expect_flags, expect_moved_exactly, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k08_freeze_up_to/ that break only it.
REQUIREMENTS = {
    "the name is looked up in model.layers only: unknown or nested raises ValueError": (
        "test_an_unknown_or_nested_name_raises_value_error",
        ["unknown_name_freezes_nothing", "searches_nested_models"]),
    "a name that raises changes no flag": (
        "test_an_unknown_or_nested_name_raises_value_error", ["freezes_while_searching"]),
    "freeze every entry up to and including the named one": (
        "test_a_frozen_model_trains_only_after_the_cut", ["exclusive_bound"]),
    "make every later entry trainable, even one frozen before": (
        "test_later_layers_frozen_before_become_trainable", ["trusts_model_trainable_true"]),
    "a nested model after the cut trains throughout, even when its own flag is already True": (
        "test_a_nested_base_is_trained_or_frozen_throughout", ["relies_on_nested_trainable_true"]),
    "a nested model up to the cut is frozen throughout, even when its own flag is already False": (
        "test_a_nested_base_is_trained_or_frozen_throughout", ["relies_on_nested_trainable_false"]),
    "model.trainable ends up True": (
        "test_a_frozen_model_trains_only_after_the_cut", ["leaves_model_frozen"]),
    "return how many frozen entries own weights; weightless ones do not count": (
        "test_later_layers_frozen_before_become_trainable", ["counts_weightless_layers"]),
    "a frozen nested model counts as one entry": (
        "test_a_nested_base_is_trained_or_frozen_throughout", ["counts_layers_inside_nested_models"]),
}


def layers_of(model, *names):
    return [model.get_layer(name) for name in names]


def expect_count(result, expected, call, why):
    expect(isinstance(result, int) and not isinstance(result, bool),
           f"{call} should return the number of frozen layers that own weights (an int), "
           f"got {result!r}")
    expect(result == expected, f"{call} should return {expected} ({why}), got {result}")


def test_a_frozen_model_trains_only_after_the_cut(kata):
    model = zoo.pretrained_mlp()  # input, dense_a, dropout, dense_b, flatten, dense_c, out
    model.trainable = False       # as after training on a frozen model
    result = kata.freeze_up_to(model, "dense_b")
    expect_count(result, 2, 'freeze_up_to(model, "dense_b")',
                 "dense_a and dense_b; input and dropout own no weights")
    expect(model.trainable is True,
           f"model.trainable should end up True, got {model.trainable!r}: while the model itself is "
           f"frozen, model.trainable_weights is empty whatever its layers say")
    expect_flags(model, frozen=layers_of(model, "dense_a", "dense_b"),
                 trained=layers_of(model, "dense_c", "out"))
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    x, y = zoo.regression_data(64, seed=1)
    before = snapshot(model)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    expect_moved_exactly(before, should_move=layers_of(model, "dense_c", "out"))


def test_later_layers_frozen_before_become_trainable(kata):
    model = zoo.pretrained_mlp()  # input, dense_a, dropout, dense_b, flatten, dense_c, out
    model.get_layer("dense_c").trainable = False  # model.trainable itself stays True
    result = kata.freeze_up_to(model, "dropout")
    expect_count(result, 1, 'freeze_up_to(model, "dropout")', "dense_a; dropout owns no weights")
    expect_flags(model, frozen=layers_of(model, "dense_a"),
                 trained=layers_of(model, "dense_b", "dense_c", "out"))

    result = kata.freeze_up_to(model, "flatten")
    expect_count(result, 2, 'freeze_up_to(model, "flatten")',
                 "dense_a and dense_b; input, dropout and flatten own no weights")
    result = kata.freeze_up_to(model, "out")
    expect_count(result, 4, 'freeze_up_to(model, "out")', "every weighted layer of the model")
    expect_flags(model, frozen=layers_of(model, "dense_a", "dense_b", "dense_c", "out"))
    # Moving the cut back down must unfreeze what the previous call froze.
    result = kata.freeze_up_to(model, "input")
    expect_count(result, 0, 'freeze_up_to(model, "input")', "the InputLayer owns no weights")
    expect_flags(model, trained=layers_of(model, "dense_a", "dense_b", "dense_c", "out"))


def test_an_unknown_or_nested_name_raises_value_error(kata):
    mlp = zoo.pretrained_mlp()
    model = zoo.with_head(mlp)  # model.layers: an InputLayer, pretrained_mlp, head
    cases = [(mlp, "mlp", "dense_d", "there is no such layer"),
             (model, "model", "dense_b",
              "it is inside the nested model, not in model.layers: pass that model itself")]
    for target, shown, name, why in cases:
        with pytest.raises(ValueError):
            kata.freeze_up_to(target, name)
            pytest.fail(f'freeze_up_to({shown}, "{name}") should raise ValueError: {why}')
    expect_flags(model, trained=[*layers_of(mlp, "dense_a", "dense_b", "dense_c", "out"),
                                 model.get_layer("head")])


def test_a_nested_base_is_trained_or_frozen_throughout(kata):
    base = zoo.pretrained_encoder()  # base_dense_1, base_dropout, base_dense_2
    model = keras.Sequential([keras.Input((zoo.INPUT_DIM,), name="features"),
                              keras.layers.Dense(zoo.INPUT_DIM, activation="tanh", name="adapter"),
                              base, keras.layers.Dense(1, name="head")], name="model")
    inner = [base.get_layer("base_dense_1"), base.get_layer("base_dense_2")]
    for layer in base.layers:  # frozen one by one earlier: base.trainable itself stays True
        layer.trainable = False
    result = kata.freeze_up_to(model, "adapter")
    expect_count(result, 1, 'freeze_up_to(model, "adapter")', "adapter")
    stuck = [layer.name for layer in inner if not layer.trainable]
    expect(not stuck,
           f'after freeze_up_to(model, "adapter"), {stuck} inside the nested model \'base\' should '
           f"be trainable: an entry after the cut trains throughout. base.trainable was already "
           f"True, and on the TensorFlow backend assigning a flag the value it already has does "
           f"nothing, so it cannot unfreeze the layers inside: set their flags too")
    expect_flags(model, frozen=[model.get_layer("adapter")], trained=[*inner, model.get_layer("head")])
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    x, y = zoo.regression_data(64, seed=1)
    before = snapshot(model)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    expect_moved_exactly(before, should_move=[*inner, model.get_layer("head")])

    # The other way round: the base frozen as a whole, then its top layer unfrozen by hand.
    base.trainable = False
    base.get_layer("base_dense_2").trainable = True
    result = kata.freeze_up_to(model, "base")
    expect_count(result, 2, 'freeze_up_to(model, "base")',
                 "adapter and the nested model base, one entry of model.layers")
    leaking = [layer.name for layer in inner if layer.trainable]
    expect(not leaking,
           f'after freeze_up_to(model, "base"), {leaking} inside the nested model \'base\' should be '
           f"frozen: an entry up to the cut is frozen throughout, and fit() trains a trainable "
           f"layer even inside a frozen model. base.trainable was already False, and on the "
           f"TensorFlow backend assigning a flag the value it already has does nothing, so it "
           f"cannot freeze the layers inside: set their flags too")
    expect_flags(model, frozen=[model.get_layer("adapter"), *inner],
                 trained=[model.get_layer("head")])
