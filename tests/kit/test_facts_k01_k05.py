"""Behaviours of the installed Keras that katas 1-5 state, checked on every `make test`.

Each is checked here in the exact form the lessons, hints, failure messages and wrong answers of katas 1-5 use; what
compile() records when it is not given a loss or metrics is checked in test_keras_facts.py. If a
Keras upgrade changes one of them, this file fails and the kata that states it must change too.
"""
import math
import re
import warnings

import numpy as np
import pytest

keras = pytest.importorskip("keras")


def data(n=64, seed=0):
    """Inputs with a mean far from 0 (BatchNormalization statistics visibly move), a smooth
    target."""
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(n, 4)) * 3 + 5).astype("float32")
    return x, np.tanh(x @ rng.normal(size=(4, 1)) / 8).astype("float32")


def model_with_base(batch_norm=False):
    """Input -> base (base_a, [base_bn,] base_b) -> head, every layer trainable."""
    keras.utils.set_random_seed(0)
    layers = [keras.Input((4,)), keras.layers.Dense(6, activation="tanh", name="base_a")]
    if batch_norm:
        layers.append(keras.layers.BatchNormalization(name="base_bn"))
    layers.append(keras.layers.Dense(5, activation="tanh", name="base_b"))
    base = keras.Sequential(layers, name="base")
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(base(inputs)))
    return model, base


def trainable_ids(model):
    return {id(v) for v in model.trainable_weights}


def copies(layer):
    return [np.array(v.numpy(), copy=True) for v in layer.weights]


def moved(before, layer):
    """One flag per variable of `layer`: did it change since `before` (bit for bit)?"""
    return [not np.array_equal(b, v.numpy()) for b, v in zip(before, layer.weights)]


def stage_one(batch_norm=False, n=64, batch_size=16, metrics=None):
    """Base frozen, compiled, fit once (the train step is traced), then the base unfrozen."""
    model, base = model_with_base(batch_norm)
    base.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse", metrics=metrics)
    model.fit(*data(n), epochs=1, batch_size=batch_size, verbose=0)
    base.trainable = True
    return model, base


# --- katas 1 and 2: which layers count, what a frozen parent hides, the same-value no-op ----------


def test_layers_without_weights_have_an_empty_weights_list():
    """Katas 1 and 2: InputLayer, Dropout, Flatten (and ReLU, pooling) own no weights, so
    `if layer.weights` tells the layers that count from the ones that do not."""
    inputs = keras.Input((4, 2), name="input")
    h = keras.layers.Dropout(0.1, name="dropout")(keras.layers.Dense(3, name="dense")(inputs))
    h = keras.layers.ReLU(name="relu")(keras.layers.Flatten(name="flatten")(h))
    model = keras.Model(inputs, h)
    assert {layer.name: len(layer.weights) for layer in model.layers} == {
        "input": 0, "dense": 2, "dropout": 0, "flatten": 0, "relu": 0}
    pool = keras.layers.GlobalAveragePooling2D()
    pool.build((None, 4, 4, 2))
    assert pool.weights == []


def test_a_functional_model_lists_its_input_layer_and_a_sequential_one_does_not():
    """Kata 5: `model.layers` of a functional model starts with its
    InputLayer; a Sequential model built from keras.Input does not list it."""
    model, base = model_with_base()
    assert isinstance(model.layers[0], keras.layers.InputLayer)
    assert [layer.name for layer in base.layers] == ["base_a", "base_b"]


def test_a_frozen_model_reports_no_trainable_weights_even_when_a_child_says_true():
    """Kata 1's hint 2 and kata 2 ("while it is False, base.trainable_weights is empty whatever its
    layers say"): a frozen parent hides its children's weights from its own
    trainable_weights, while an outer model still lists a child whose own flag is True (kata 5)."""
    model, base = model_with_base()
    model.trainable = False
    model.get_layer("head").trainable = True
    assert model.trainable_weights == []
    model.trainable = True
    base.trainable = False
    base.get_layer("base_b").trainable = True
    assert base.trainable_weights == []
    outer = trainable_ids(model)
    assert all(id(v) in outer for v in base.get_layer("base_b").weights)
    assert not any(id(v) in outer for v in base.get_layer("base_a").weights)


def test_assigning_the_value_trainable_already_has_is_a_no_op_on_the_tensorflow_backend():
    """Katas 1, 2 and 4: `model.trainable = True` on a model whose flag is
    already True leaves a child frozen on its own frozen, one level down or two. It is the
    TensorFlow backend's doing: TensorFlow's AutoTrackable `__setattr__` skips an assignment of the
    object the attribute already holds, so Keras's propagating setter never runs; calling that
    setter directly does reach the children. False then True runs it twice and unfreezes every
    layer at every depth."""
    assert keras.backend.backend() == "tensorflow"
    model, base = model_with_base()
    head = model.get_layer("head")
    head.trainable = False
    base.get_layer("base_a").trainable = False
    model.trainable = True
    base.trainable = True
    assert head.trainable is False and base.get_layer("base_a").trainable is False
    type(model).trainable.fset(model, True)  # Keras's own setter, reached without __setattr__
    assert head.trainable is True
    model.trainable = False
    model.trainable = True
    assert all(layer.trainable for layer in [base, *base.layers, head])


def test_a_nested_model_is_one_weighted_entry_of_model_layers_and_freezes_as_a_whole():
    """Kata 1 (a pretrained base inside the model counts as one layer of `model.layers`) and kata 5
    (leaf layers are inside it): the base has weights of its own, and
    freezing it freezes every layer inside it."""
    model, base = model_with_base()
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Sequential", "Dense"]
    assert len(base.weights) == 4
    base.trainable = False
    assert [layer.trainable for layer in base.layers] == [False, False]
    assert not any(id(v) in trainable_ids(model) for v in base.weights)


def test_batch_norm_in_fit_moves_all_four_weights_when_trainable_and_none_when_frozen():
    """Kata 2: a trainable BatchNormalization layer changes gamma and
    beta by gradient and its moving mean and variance with the data; a frozen one keeps all four
    bit-identical. Its moving statistics are never trainable weights, frozen or not."""
    for frozen in (False, True):
        model, base = model_with_base(batch_norm=True)
        bn = base.get_layer("base_bn")
        bn.trainable = not frozen
        assert [v.trainable for v in bn.weights] == [not frozen, not frozen, False, False]
        model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
        before = copies(bn)
        model.fit(*data(), epochs=1, batch_size=16, verbose=0)
        assert moved(before, bn) == [not frozen] * 4


# --- kata 3: a new optimizer -------------------------------------------------------------------


def test_a_new_optimizer_starts_at_zero_iterations_and_zero_moments():
    """Kata 3: the Adam of stage one has counted its steps and keeps running
    averages of the gradients it saw (its momentum and velocity variables); a new one starts at
    iterations 0 with all of them zero."""
    model, _ = stage_one()
    old = model.optimizer
    assert int(old.iterations) == 4  # 64 samples, batches of 16
    moments = [v for v in old.variables if "momentum" in v.path or "velocity" in v.path]
    assert len(moments) == 2 * len(model.get_layer("head").weights)  # built for the head only
    assert all(np.any(v.numpy() != 0) for v in moments)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    model.optimizer.build(model.trainable_variables)
    assert int(model.optimizer.iterations) == 0
    assert all(not np.any(v.numpy()) for v in model.optimizer.variables
               if "momentum" in v.path or "velocity" in v.path)


# --- kata 4: why the unfrozen layers did not move ------------------------------------------------


def test_a_late_unfreeze_is_ignored_without_a_warning_while_fit_reuses_its_step():
    """Kata 4: after a traced fit(), unfreezing the base and fitting
    again with the same batch size reuses the traced step: the base stays bit-identical, the head
    (trainable all along) trains, and Keras gives no warning. compile() discards the traced step
    (train_function None); with a new optimizer the next fit() trains the base."""
    model, base = stage_one()
    x, y = data(seed=1)
    before, head_before = copies(base), copies(model.get_layer("head"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert moved(before, base) == [False] * 4
    assert moved(head_before, model.get_layer("head")) == [True, True]
    assert not [w for w in caught if "trainable" in str(w.message)]
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    assert model.train_function is None
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert moved(before, base) == [True] * 4


def test_a_new_batch_size_can_trace_a_new_step_which_raises_unknown_variable():
    """Kata 4: the condition of "ignored until you recompile". A fit() with a
    new batch size traces a new step when every batch of the first fit had one size: that step
    trains the unfrozen base with the optimizer of stage one, which was not built for it
    (ValueError: Unknown variable). After a first fit whose last batch was smaller, fit() had
    already traced a step for any batch size: a new one reuses it, and the unfreeze is ignored."""
    model, _ = stage_one(n=64, batch_size=16)
    with pytest.raises(ValueError, match="Unknown variable"):
        model.fit(*data(seed=1), epochs=1, batch_size=32, verbose=0)
    model, base = stage_one(n=60, batch_size=16)  # batches of 16, 16, 16 and 12
    before = copies(base)
    model.fit(*data(seed=1), epochs=1, batch_size=32, verbose=0)
    assert moved(before, base) == [False] * 4


@pytest.mark.parametrize("attempt", ["compile with the old optimizer", "make_train_function"])
def test_retracing_with_the_optimizer_of_stage_one_raises_unknown_variable(attempt):
    """Kata 4: after the unfreeze, a retrace that keeps the optimizer
    built in stage one fails at the next fit(), whatever the batch size: by compile() with
    `model.optimizer`, or by `model.make_train_function(force=True)`."""
    model, _ = stage_one()
    if attempt == "make_train_function":
        model.make_train_function(force=True)
    else:
        model.compile(optimizer=model.optimizer, loss="mse")
    with pytest.raises(ValueError, match="Unknown variable"):
        model.fit(*data(seed=1), epochs=1, batch_size=16, verbose=0)


def test_an_optimizer_assigned_without_compile_is_never_used_or_fails_on_a_retrace():
    """Katas 3 and 4: `model.optimizer = keras.optimizers.Adam(...)` after a traced fit() does not
    reach fit(). With the same batch size, the traced step goes on with the old optimizer: the new
    one takes no step, the unfrozen base does not move. With a new batch size, the new step tries
    to build the new optimizer inside the trace, and TensorFlow refuses variables created after a
    function's first call: a ValueError whose message says "first call"."""
    model, base = stage_one()
    old = model.optimizer
    model.optimizer = keras.optimizers.Adam(1e-3)
    before = copies(base)
    model.fit(*data(seed=1), epochs=1, batch_size=16, verbose=0)
    assert moved(before, base) == [False] * 4
    assert int(model.optimizer.iterations) == 0 and int(old.iterations) == 8
    with pytest.raises(ValueError, match="first call"):
        model.fit(*data(seed=1), epochs=1, batch_size=32, verbose=0)


def test_run_eagerly_set_after_a_traced_fit_changes_nothing_and_eager_mode_reads_flags_each_step():
    """Kata 4's wrong answers: `model.run_eagerly = True` after the first fit
    leaves the traced step in use, so the unfrozen base still does not move. A model compiled with
    run_eagerly=True reads the flags at every step instead: a late freeze takes effect without a
    recompile (so eager mode hides that bug), and a late unfreeze meets the optimizer built before
    it (ValueError: Unknown variable)."""
    model, base = stage_one()
    model.run_eagerly = True
    before = copies(base)
    model.fit(*data(seed=1), epochs=1, batch_size=16, verbose=0)
    assert moved(before, base) == [False] * 4
    for late in ("freeze", "unfreeze"):
        model, base = model_with_base()
        base.trainable = late == "freeze"
        model.compile(optimizer=keras.optimizers.SGD(1e-2), loss="mse", run_eagerly=True)
        model.fit(*data(), epochs=1, batch_size=16, verbose=0)
        base.trainable = late != "freeze"
        before = copies(base)
        if late == "freeze":
            model.fit(*data(seed=1), epochs=1, batch_size=16, verbose=0)
            assert moved(before, base) == [False] * 4
        else:
            with pytest.raises(ValueError, match="Unknown variable"):
                model.fit(*data(seed=1), epochs=1, batch_size=16, verbose=0)


# --- kata 5: what the capacity report counts ------------------------------------------------------


def summary_counts(model):
    lines = []
    model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
    text = "\n".join(lines)
    found = {key: int(re.search(rf"{key} params: ([\d,]+)", text).group(1).replace(",", ""))
             for key in ("Trainable", "Non-trainable")}
    return found["Trainable"], found["Non-trainable"]


def count(variables):
    return sum(math.prod(v.shape) for v in variables)


def test_a_layer_flag_can_say_true_while_its_variables_are_frozen():
    """Kata 5: `layer.kernel.trainable = False` leaves `layer.trainable` True
    but takes the kernel out of model.trainable_weights; the bias still trains."""
    model, base = model_with_base()
    layer = base.get_layer("base_a")
    layer.kernel.trainable = False
    assert layer.trainable is True
    ids = trainable_ids(model)
    assert id(layer.kernel) not in ids and id(layer.bias) in ids


def test_summary_trainable_params_are_the_scalars_of_model_trainable_weights():
    """Kata 5: "trainable_params is the Trainable params of model.summary()", in the states where
    flags mislead: a frozen base with one layer unfrozen, variables frozen one by one, and
    BatchNormalization's moving statistics (non-trainable even when nothing is frozen)."""
    model, base = model_with_base(batch_norm=True)
    states = [lambda: None,
              lambda: (setattr(base, "trainable", False),
                       setattr(base.get_layer("base_b"), "trainable", True)),
              lambda: setattr(base.get_layer("base_a").kernel, "trainable", False)]
    for change in states:
        change()
        assert summary_counts(model) == (count(model.trainable_weights),
                                         count(model.non_trainable_weights))


def test_batch_norm_moving_statistics_stay_non_trainable_when_the_layer_is_unfrozen():
    """Kata 5: unfreezing BatchNormalization makes gamma and beta
    trainable again; its moving mean and variance stay non-trainable weights."""
    _, base = model_with_base(batch_norm=True)
    bn = base.get_layer("base_bn")
    bn.trainable = False
    bn.trainable = True
    assert [(v.name, v.trainable) for v in bn.weights] == [
        ("gamma", True), ("beta", True), ("moving_mean", False), ("moving_variance", False)]
