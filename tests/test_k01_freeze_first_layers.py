"""Kata 1: freeze the first layers that own weights (practice challenge 1)."""
import math

import keras
import numpy as np
import pytest

from dojo import zoo
from dojo.checks import (KataFailure, expect, expect_flags, expect_moved_exactly, snapshot,
                         weighted_leaf_layers)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k01_freeze_first_layers/ that break only it.
REQUIREMENTS = {
    "freeze the first n weighted layers, not others": (
        "test_after_fit_only_the_unfrozen_layers_moved", ["freezes_the_last_n"]),
    "layers without weights do not count": (
        "test_weightless_layers_do_not_count", ["counts_weightless_layers"]),
    "make every other layer trainable, even one frozen before": (
        "test_layers_frozen_before_are_unfrozen_when_past_n", ["trusts_model_trainable_true"]),
    "return the same model, weights untouched": (
        "test_returns_the_same_model_with_its_weights", ["returns_a_clone"]),
    "a model that arrives fully frozen trains afterwards": (
        "test_a_fully_frozen_model_is_unfrozen_after_the_first_n", ["leaves_model_frozen"]),
    "n from 0 to the number of weighted layers is allowed": (
        "test_n_zero_and_n_equal_to_the_weighted_layer_count_are_allowed",
        ["rejects_n_equal_to_the_layer_count"]),
    "n below 0 or above the number of weighted layers raises ValueError": (
        "test_n_out_of_range_raises_value_error", ["no_range_check"]),
    "n defaults to 2": ("test_n_defaults_to_2", ["drops_the_default_n"]),
    "a model nested inside (a pretrained base) is one layer of model.layers": (
        "test_a_nested_base_is_one_layer_and_freezes_as_a_whole",
        ["counts_the_layers_inside_a_nested_base"]),
}


def layers_of(model, *names):
    return [model.get_layer(name) for name in names]


def expect_flags_because(why, model, frozen=(), trained=()):
    """expect_flags, with the rule of the statement that decides the flags said first."""
    try:
        expect_flags(model, frozen=frozen, trained=trained)
    except KataFailure as failure:
        raise KataFailure(f"{why}: {failure}") from None


def train_briefly(model, epochs=2):
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    x, y = zoo.regression_data(64, seed=1)
    return model.fit(x, y, epochs=epochs, batch_size=16, verbose=0)


def test_returns_the_same_model_with_its_weights(kata):
    model = zoo.pretrained_mlp()
    before = snapshot(model)
    result = kata.freeze_first_layers(model, n=2)
    expect(result is model, f"freeze_first_layers must return the model it was given, got {result!r}")
    expect(before.unchanged(), "freeze_first_layers must not change any weight values")


def test_weightless_layers_do_not_count(kata):
    model = zoo.pretrained_mlp()  # input, dense_a, dropout, dense_b, flatten, dense_c, out
    kata.freeze_first_layers(model, n=2)
    expect_flags(model, frozen=layers_of(model, "dense_a", "dense_b"),
                 trained=layers_of(model, "dense_c", "out"))


def test_a_fully_frozen_model_is_unfrozen_after_the_first_n(kata):
    model = zoo.pretrained_mlp()
    model.trainable = False
    kata.freeze_first_layers(model, n=1)
    expect_flags(model, frozen=layers_of(model, "dense_a"),
                 trained=layers_of(model, "dense_b", "dense_c", "out"))


def test_layers_frozen_before_are_unfrozen_when_past_n(kata):
    model = zoo.pretrained_mlp()
    model.get_layer("dense_c").trainable = False  # the model itself stays trainable
    kata.freeze_first_layers(model, n=1)
    expect_flags(model, frozen=layers_of(model, "dense_a"),
                 trained=layers_of(model, "dense_b", "dense_c", "out"))
    kata.freeze_first_layers(model, n=0)
    expect_flags(model, trained=weighted_leaf_layers(model))


def test_n_defaults_to_2(kata):
    model = zoo.pretrained_mlp()
    try:
        kata.freeze_first_layers(model)
    except TypeError as error:
        raise KataFailure(f"freeze_first_layers(model), without n, should freeze the first 2 "
                          f"weighted layers (n defaults to 2), but it raised TypeError: {error}") from None
    expect_flags_because("freeze_first_layers(model) uses n=2 by default", model,
                         frozen=layers_of(model, "dense_a", "dense_b"),
                         trained=layers_of(model, "dense_c", "out"))


def test_a_nested_base_is_one_layer_and_freezes_as_a_whole(kata):
    base = zoo.pretrained_encoder()  # base_dense_1, base_dropout, base_dense_2
    model = zoo.with_head(base)  # model.layers: the InputLayer, base, head
    kata.freeze_first_layers(model, n=1)
    expect_flags_because("the nested base is one layer of model.layers, so n=1 freezes all of it "
                         "and leaves the head trainable", model,
                         frozen=layers_of(base, "base_dense_1", "base_dense_2"),
                         trained=[model.get_layer("head")])


def test_after_fit_only_the_unfrozen_layers_moved(kata):
    model = zoo.pretrained_mlp()
    model.trainable = False
    kata.freeze_first_layers(model, n=3)
    before = snapshot(model)
    train_briefly(model)
    expect_moved_exactly(before, should_move=layers_of(model, "out"))


def test_practice_challenge_1_still_trains_only_the_last_layer(kata):
    # Dense 10 relu, Dense 10 relu, Dense 1; adam; mse; 100 random samples; one epoch.
    model = zoo.challenge_model()
    returned = kata.freeze_first_layers(model, n=2)
    expect(returned is model, "freeze_first_layers must return the model it was given")
    zoo.compile_ready_to_fit(model, "adam", "mse")
    rng = np.random.default_rng(2)
    x = rng.random((100, zoo.INPUT_DIM)).astype("float32")
    y = rng.random((100, 1)).astype("float32")
    before = snapshot(model)
    history = model.fit(x, y, epochs=1, verbose=0)
    loss = history.history["loss"][-1]
    expect(isinstance(loss, float) and math.isfinite(loss) and loss < 1.0,
           f"the challenge model should still train to a finite loss below 1.0, got {loss!r}")
    expect_moved_exactly(before, should_move=[model.layers[-1]])


@pytest.mark.parametrize("n", [0, 4])
def test_n_zero_and_n_equal_to_the_weighted_layer_count_are_allowed(kata, n):
    model = zoo.pretrained_mlp()  # 4 weighted layers
    weighted = layers_of(model, "dense_a", "dense_b", "dense_c", "out")
    kata.freeze_first_layers(model, n=n)
    expect_flags(model, frozen=weighted[:n], trained=weighted[n:])


@pytest.mark.parametrize("n", [-1, 5])
def test_n_out_of_range_raises_value_error(kata, n):
    model = zoo.pretrained_mlp()  # 4 weighted layers: n may be 0..4
    with pytest.raises(ValueError):
        kata.freeze_first_layers(model, n=n)
        pytest.fail(f"freeze_first_layers(model, n={n}) should raise ValueError: the model has "
                    f"4 weighted layers, so n must be between 0 and 4")
