"""Kata 1: freeze the first layers that own weights (practice challenge 1)."""
import math

import keras
import numpy as np
import pytest

from dojo import zoo
from dojo.checks import expect, expect_flags, expect_moved_exactly, snapshot, weighted_leaf_layers


def layers_of(model, *names):
    return [model.get_layer(name) for name in names]


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


@pytest.mark.parametrize("n", [-1, 5])
def test_n_out_of_range_raises_value_error(kata, n):
    model = zoo.pretrained_mlp()  # 4 weighted layers: n may be 0..4
    with pytest.raises(ValueError):
        kata.freeze_first_layers(model, n=n)
        pytest.fail(f"freeze_first_layers(model, n={n}) should raise ValueError: the model has "
                    f"4 weighted layers, so n must be between 0 and 4")
