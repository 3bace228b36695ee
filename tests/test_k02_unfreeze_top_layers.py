"""Kata 2: unfreeze only the top k layers of a pretrained base (practice challenge 2)."""
import keras
import pytest

from dojo import zoo
from dojo.checks import expect, expect_flags, expect_moved_exactly, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k02_unfreeze_top_layers/ that break only it.
REQUIREMENTS = {
    "the last k weighted layers train, every other layer is frozen": (
        "test_after_fit_only_the_top_k_and_the_head_moved",
        ["unfreezes_from_the_bottom", "off_by_one"]),
    "layers without weights do not count": (
        "test_a_fully_frozen_base_gets_its_top_k_weighted_layers_back", ["counts_weightless_layers"]),
    "a base that arrives frozen ends with base.trainable True": (
        "test_a_fully_frozen_base_gets_its_top_k_weighted_layers_back", ["leaves_base_frozen"]),
    "a layer frozen on its own is unfrozen when in the top k (base.trainable = True is not enough)": (
        "test_a_layer_frozen_before_is_unfrozen_when_in_the_top_k", ["trusts_base_trainable_true"]),
    "return the same base, weights untouched": (
        "test_returns_the_same_base_with_its_weights", ["returns_nothing"]),
    "k from 0 to the number of weighted layers is allowed": (
        "test_k_zero_and_k_all", ["slices_with_minus_k"]),
    "k below 0 or above the number of weighted layers raises ValueError": (
        "test_k_out_of_range_raises_value_error", ["no_range_check"]),
    "a BatchNormalization layer among the top k trains: gamma, beta and its moving statistics": (
        "test_a_batch_normalization_layer_in_the_top_k_trains", ["keeps_batchnorm_frozen"]),
}


def layers_of(model, *names):
    return [model.get_layer(name) for name in names]


def expect_base_unfrozen(base, k):
    expect(base.trainable is True,
           f"after unfreeze_top_layers(base, k={k}), base.trainable should be True, got "
           f"{base.trainable!r}: while the base is frozen, base.trainable_weights is empty whatever "
           f"its layers say")


def test_returns_the_same_base_with_its_weights(kata):
    base = zoo.pretrained_base()
    base.trainable = False
    before = snapshot(base)
    result = kata.unfreeze_top_layers(base, 2)
    expect(result is base, f"unfreeze_top_layers must return the base it was given, got {result!r}")
    expect(before.unchanged(), "unfreeze_top_layers must not change any weight values")
    expect_base_unfrozen(base, 2)


def test_a_fully_frozen_base_gets_its_top_k_weighted_layers_back(kata):
    base = zoo.pretrained_base()  # base_dense_1, base_bn, base_dense_2, base_dropout, base_dense_3
    model = zoo.with_head(base)
    base.trainable = False
    kata.unfreeze_top_layers(base, 2)
    expect_base_unfrozen(base, 2)
    # The Dropout layer owns no weights, so the top 2 weighted layers are base_dense_2, base_dense_3.
    expect_flags(base, frozen=layers_of(base, "base_dense_1", "base_bn"),
                 trained=layers_of(base, "base_dense_2", "base_dense_3"))
    expect_flags(model, frozen=layers_of(base, "base_dense_1", "base_bn"),
                 trained=[*layers_of(base, "base_dense_2", "base_dense_3"), model.get_layer("head")])


def test_a_layer_frozen_before_is_unfrozen_when_in_the_top_k(kata):
    base = zoo.pretrained_base()
    base.get_layer("base_dense_2").trainable = False  # base.trainable itself stays True
    kata.unfreeze_top_layers(base, 3)
    expect_base_unfrozen(base, 3)
    expect_flags(base, frozen=layers_of(base, "base_dense_1"),
                 trained=layers_of(base, "base_bn", "base_dense_2", "base_dense_3"))


def test_k_zero_and_k_all(kata):
    base = zoo.pretrained_base()
    model = zoo.with_head(base)
    weighted = layers_of(base, "base_dense_1", "base_bn", "base_dense_2", "base_dense_3")
    base.trainable = False
    kata.unfreeze_top_layers(base, 0)
    expect_base_unfrozen(base, 0)
    expect_flags(model, frozen=weighted, trained=[model.get_layer("head")])
    # base.trainable is True now, so only setting each layer can bring the bottom layers back.
    kata.unfreeze_top_layers(base, 4)
    expect_flags(base, trained=weighted)
    expect_flags(model, trained=[*weighted, model.get_layer("head")])


def test_after_fit_only_the_top_k_and_the_head_moved(kata):
    base = zoo.pretrained_base()
    model = zoo.with_head(base)
    base.trainable = False
    kata.unfreeze_top_layers(base, 2)
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    x, y = zoo.regression_data(64, seed=1, shift=2.0)
    before = snapshot(model)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    # base_bn is frozen: gamma, beta and its moving statistics must stay bit-identical.
    expect_moved_exactly(before, should_move=[*layers_of(base, "base_dense_2", "base_dense_3"),
                                              model.get_layer("head")])


def test_a_batch_normalization_layer_in_the_top_k_trains(kata):
    convnet = zoo.pretrained_convnet()  # conv_1, conv_bn, conv_relu, conv_2, pool, features
    model = zoo.with_head(convnet, units=3, activation="softmax")
    convnet.trainable = False
    kata.unfreeze_top_layers(convnet, 3)
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy")
    x, y = zoo.image_data(32, seed=3)
    before = snapshot(model)
    model.fit(x * 3 + 5, y, epochs=1, batch_size=8, verbose=0)
    bn = convnet.get_layer("conv_bn")
    expect_moved_exactly(before, should_move=[bn, *layers_of(convnet, "conv_2", "features"),
                                              model.get_layer("head")])
    changes = before.changes()
    for variable in bn.weights:
        expect(changes[id(variable)] != 0.0,
               f"layer 'convnet/conv_bn' is among the top 3 weighted layers, so fit() should train "
               f"it, but its {variable.name} did not change: a trainable BatchNormalization moves "
               f"gamma and beta by gradient and its moving statistics with each batch")


@pytest.mark.parametrize("k", [-1, 5])
def test_k_out_of_range_raises_value_error(kata, k):
    base = zoo.pretrained_base()  # 4 weighted layers: k may be 0..4
    with pytest.raises(ValueError):
        kata.unfreeze_top_layers(base, k)
        pytest.fail(f"unfreeze_top_layers(base, k={k}) should raise ValueError: the base has "
                    f"4 weighted layers, so k must be between 0 and 4")
