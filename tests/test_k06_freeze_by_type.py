"""Kata 6: freeze every layer of a given type, nested models included."""
import keras

from dojo import zoo
from dojo.checks import expect, expect_flags, expect_moved_exactly, snapshot


class TunedDense(keras.layers.Dense):
    """A library's own Dense layer: a subclass, so isinstance(layer, Dense) is True."""


def build_model():
    """Input -> base (a nested Sequential) -> adapter (a TunedDense) -> head (a Dense).

    base: base_dense_1, base_bn, base_dense_2, base_dropout, base_dense_3.
    """
    base = zoo.pretrained_base()
    inputs = keras.Input((zoo.INPUT_DIM,), name="features")
    hidden = TunedDense(8, activation="tanh", name="adapter")(base(inputs))
    outputs = keras.layers.Dense(1, name="head")(hidden)
    return keras.Model(inputs, outputs, name="classifier"), base


def layers_of(model, base, *names):
    return [base.get_layer(n) if n.startswith("base_") else model.get_layer(n) for n in names]


def expect_names(result, expected, call):
    expect(isinstance(result, list) and all(isinstance(name, str) for name in result),
           f"{call} should return a list of layer names (strings), got {result!r}")
    missing = [name for name in expected if name not in result]
    extra = [name for name in result if name not in expected]
    detail = (f"missing {missing}" if missing else "") + ("; " if missing and extra else "") + (
        f"not expected {extra}" if extra else "") or "the same names in another order"
    expect(result == expected,
           f"{call} should return {expected} (every matching layer, nested ones and subclasses "
           f"included, in model order), got {result}: {detail}")


def test_every_dense_layer_is_frozen_nested_and_subclassed_ones_too(kata):
    model, base = build_model()
    result = kata.freeze_by_type(model, keras.layers.Dense)
    dense = ["base_dense_1", "base_dense_2", "base_dense_3", "adapter", "head"]
    expect_names(result, dense, "freeze_by_type(model, keras.layers.Dense)")
    expect(base.trainable is True,
           "freeze_by_type must search the nested model 'base', not freeze it as a whole: "
           "base.trainable should still be True")
    bn = base.get_layer("base_bn")
    expect_flags(model, frozen=layers_of(model, base, *dense), trained=[bn])

    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    x, y = zoo.regression_data(64, seed=1, shift=2.0)
    before = snapshot(model)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    # Every Dense layer, the TunedDense adapter included, stays bit-identical; base_bn trains.
    expect_moved_exactly(before, should_move=[bn])


def test_a_tuple_of_types_leaves_every_other_flag_alone(kata):
    model, base = build_model()
    model.get_layer("head").trainable = False  # frozen before the call: it must stay frozen
    result = kata.freeze_by_type(model, (keras.layers.BatchNormalization, TunedDense))
    expect_names(result, ["base_bn", "adapter"],
                 "freeze_by_type(model, (keras.layers.BatchNormalization, TunedDense))")
    expect_flags(model, frozen=layers_of(model, base, "base_bn", "adapter", "head"),
                 trained=layers_of(model, base, "base_dense_1", "base_dense_2", "base_dense_3"))

    result = kata.freeze_by_type(model, keras.layers.Conv2D)
    expect_names(result, [], "freeze_by_type(model, keras.layers.Conv2D) on a model without Conv2D")
    expect_flags(model, frozen=layers_of(model, base, "base_bn", "adapter", "head"),
                 trained=layers_of(model, base, "base_dense_1", "base_dense_2", "base_dense_3"))
