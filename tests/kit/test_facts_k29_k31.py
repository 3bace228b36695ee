"""Behaviours of the installed Keras that katas 29-31 (level 5: AdamW's exclusions, optimizer
state across freeze and unfreeze, a growing vocabulary) teach.

Each is checked here on the installed version, in the form the lessons, hints and failure
messages state it. If a Keras upgrade changes one of these, this file fails and the lesson that
states it must change too.
"""
import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from dojo.checks import agree  # noqa: E402

layers = keras.layers


def values(variables):
    return [np.array(v.numpy(), copy=True) for v in variables]


# --- kata 29: AdamW's weight decay and its exclusions -------------------------------------------


def zero_gradient_model(first_name="dense", frozen=False):
    """Input(4) -> Dense `first_name` -> LayerNormalization 'norm' -> BatchNormalization 'bn'
    -> Dense 'out' -> Rescaling(0): with targets 0 every gradient is exactly 0. Biases, gamma and
    beta start away from 0 and 1; 'out' keeps its bias at 0."""
    keras.utils.set_random_seed(0)
    nonzero = keras.initializers.RandomNormal(stddev=0.5)
    first = layers.Dense(6, bias_initializer=nonzero, name=first_name)
    model = keras.Sequential([
        keras.Input((4,)), first,
        layers.LayerNormalization(beta_initializer=nonzero, gamma_initializer=nonzero, name="norm"),
        layers.BatchNormalization(beta_initializer=nonzero, name="bn"),
        layers.Dense(1, name="out"), layers.Rescaling(0.0)], name="model")
    first.trainable = not frozen
    return model


def fit_zero(model, optimizer, steps=2):
    x = np.random.default_rng(0).normal(size=(8 * steps, 4)).astype("float32")
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(x, np.zeros((8 * steps, 1), "float32"), batch_size=8, verbose=0)


def decayed(variable, before):
    return not np.array_equal(variable.numpy(), before)


def test_adamw_shrinks_each_weight_by_learning_rate_times_weight_decay_per_step():
    """Kata 29's lesson and test: AdamW's defaults are learning_rate 0.001 and weight_decay 0.004;
    with a gradient of exactly 0, a step changes a trained weight only by weight decay,
    w <- w - learning_rate * weight_decay * w, and leaves a weight that is 0 at 0 (the bias of
    'out'). The hint's "whatever its gradient" is the same update with a real gradient: see the
    zero-gradient steps of Adam without decay, which move nothing."""
    default = keras.optimizers.AdamW()
    assert default.weight_decay == 0.004
    assert float(default.learning_rate) == pytest.approx(0.001)
    model = zero_gradient_model()
    before = {v.path: np.array(v.numpy(), copy=True) for v in model.trainable_weights}
    fit_zero(model, keras.optimizers.AdamW(0.5, weight_decay=0.1), steps=2)
    for v in model.trainable_weights:
        if v.path == "model/out/bias":
            assert not np.any(before[v.path]) and not np.any(v.numpy())
        else:
            assert agree(v.numpy(), before[v.path] * (1 - 0.5 * 0.1) ** 2), v.path
    model = zero_gradient_model()
    before = values(model.trainable_weights)
    fit_zero(model, keras.optimizers.Adam(0.5))
    assert not any(decayed(v, b) for v, b in zip(model.trainable_weights, before))


def test_adamw_never_decays_a_frozen_layer_nor_moving_statistics():
    """Kata 29's lesson: AdamW updates only the variables fit() trains: a frozen layer stays
    bit-identical, and BatchNormalization's moving statistics are not trainable variables (what
    changes them is the data, in training mode)."""
    model = zero_gradient_model(frozen=True)
    dense, bn = model.get_layer("dense"), model.get_layer("bn")
    before = values(dense.weights)
    fit_zero(model, keras.optimizers.AdamW(0.5, weight_decay=0.5))
    assert not any(decayed(v, b) for v, b in zip(dense.weights, before))
    trained = {id(v) for v in model.trainable_weights}
    assert id(bn.moving_mean) not in trained and id(bn.moving_variance) not in trained


def test_adam_given_weight_decay_decays_like_adamw():
    """Kata 29's wrong answer adam_with_weight_decay: Adam(weight_decay=...) decays exactly as
    AdamW does (same exclusions), so only the optimizer's class tells them apart."""
    results = []
    for make in (keras.optimizers.Adam, keras.optimizers.AdamW):
        model = zero_gradient_model()
        optimizer = make(0.5, weight_decay=0.1)
        optimizer.exclude_from_weight_decay(var_list=[model.get_layer("dense").bias])
        fit_zero(model, optimizer)
        results.append(values(model.trainable_weights))
    assert all(np.array_equal(a, b) for a, b in zip(*results))


def test_var_names_are_searched_in_the_tensorflow_name_of_each_variable():
    """Kata 29's lesson, hints and wrong answers excludes_by_short_names and
    matches_bias_in_the_path: a Keras variable's `name` is its short name ("kernel"), but on the
    TensorFlow backend exclude_from_weight_decay(var_names=...) searches (re.search) the
    TensorFlow variable's name, its path and ":0": var_names=["bias"] excludes the kernel of a
    layer named "debias". var_list compares the variables themselves, and a pattern anchored to
    "/" and the end excludes only the biases."""
    model = zero_gradient_model(first_name="debias")
    kernel = model.get_layer("debias").kernel
    assert kernel.name == "kernel" and kernel.path == "model/debias/kernel"
    assert kernel.value.name == "model/debias/kernel:0"
    for option, kernel_decayed in (
            (lambda layer: {"var_names": ["bias"]}, False),
            (lambda layer: {"var_names": [r"(^|/)bias(:\d+)?$"]}, True),
            (lambda layer: {"var_list": [layer.bias]}, True)):
        model = zero_gradient_model(first_name="debias")
        debias = model.get_layer("debias")
        before = values([debias.kernel, debias.bias])
        optimizer = keras.optimizers.AdamW(0.5, weight_decay=0.1)
        optimizer.exclude_from_weight_decay(**option(debias))
        fit_zero(model, optimizer)
        assert decayed(debias.kernel, before[0]) is kernel_decayed
        assert not decayed(debias.bias, before[1])


def test_each_call_to_exclude_from_weight_decay_replaces_the_previous_one():
    """Kata 29's lesson, hint 2 and wrong answer excludes_in_two_calls: a second call replaces
    both lists the first one set, whether it passes var_list or var_names."""
    calls = {"var_list": lambda v: {"var_list": [v]}, "var_names": lambda v: {"var_names": [v.name]}}
    for first, second in (("var_list", "var_list"), ("var_list", "var_names"),
                          ("var_names", "var_list")):
        model = zero_gradient_model()
        bias, gamma = model.get_layer("dense").bias, model.get_layer("norm").gamma
        before = values([bias, gamma])
        optimizer = keras.optimizers.AdamW(0.5, weight_decay=0.1)
        optimizer.exclude_from_weight_decay(**calls[first](bias))
        optimizer.exclude_from_weight_decay(**calls[second](gamma))
        fit_zero(model, optimizer)
        assert decayed(bias, before[0]) and not decayed(gamma, before[1]), (first, second)


def test_an_excluded_variable_still_trains():
    """Kata 29's lesson and test: exclude_from_weight_decay leaves a variable's gradient step
    alone; only the decay skips it."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), layers.Dense(4, activation="tanh"),
                              layers.LayerNormalization(), layers.Dense(1)])
    excluded = [v for v in model.weights if v.name in ("bias", "gamma", "beta")]
    optimizer = keras.optimizers.AdamW(1e-2, weight_decay=0.1)
    optimizer.exclude_from_weight_decay(var_list=excluded)
    before = values(excluded)
    rng = np.random.default_rng(0)
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(rng.normal(size=(32, 4)), rng.normal(size=(32, 1)), batch_size=8, verbose=0)
    assert all(decayed(v, b) for v, b in zip(excluded, before))


def test_model_weights_reach_into_nested_models_but_model_layers_do_not():
    """Kata 29's lesson and wrong answer skips_nested_models."""
    keras.utils.set_random_seed(0)
    block = keras.Sequential([keras.Input((4,)), layers.Dense(4, name="inner")], name="block")
    model = keras.Sequential([keras.Input((4,)), block, layers.Dense(1, name="out")])
    assert [layer.name for layer in model.layers] == ["block", "out"]
    assert any(v is block.get_layer("inner").bias for v in model.weights)
