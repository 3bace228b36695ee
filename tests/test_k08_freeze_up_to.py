"""Kata 8: the fine_tune_at recipe: freeze everything up to a named layer (practice challenge 2)."""
import keras
import pytest

from dojo import zoo
from dojo.checks import expect, expect_flags, expect_moved_exactly, snapshot


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
