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

from dojo import architectures  # noqa: E402
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
    for kind in ("functional", "sequential"):  # the kata's models, nested block included
        model = architectures.adamw_model(kind)
        assert all(v.value.name == v.path + ":0" for v in model.weights)
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


# --- kata 30: optimizer state across freeze and unfreeze ----------------------------------------


def two_layer_model():
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((4,)), layers.Dense(4, activation="tanh", name="a"),
                             layers.Dense(1, name="b")], name="model")


def fit_once(model, optimizer, seed=0, loss="mse"):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(64, 4)).astype("float32")
    model.compile(optimizer=optimizer, loss=loss)
    return model.fit(x, np.tanh(x[:, :1]), verbose=0)  # fit()'s default batch size: 2 steps


def test_an_optimizer_is_built_once_on_the_variables_it_is_given():
    """Kata 30's lesson and wrong answer rebuilds_the_optimizer: build() records the variables in
    the private `_trainable_variables` (the very objects) and creates moments for them; a second
    build() does nothing; updating a variable it was not built on raises ValueError "Unknown
    variable". Every Dense kernel's `name` is "kernel" (wrong answer compares_variable_names)."""
    model = two_layer_model()
    a, b = model.get_layer("a"), model.get_layer("b")
    assert a.kernel.name == b.kernel.name == "kernel"
    optimizer = keras.optimizers.Adam(1e-2)
    optimizer.build(b.trainable_variables)
    assert [id(v) for v in optimizer._trainable_variables] == [id(v) for v in b.trainable_variables]
    slots = len(optimizer.variables)
    optimizer.build(model.trainable_variables)
    assert len(optimizer.variables) == slots
    assert [id(v) for v in optimizer._trainable_variables] == [id(v) for v in b.trainable_variables]
    with pytest.raises(ValueError, match="Unknown variable"):
        optimizer.apply([np.ones(v.shape, "float32") for v in a.trainable_variables],
                        a.trainable_variables)


def test_the_subset_rule_decides_whether_a_built_optimizer_can_be_recompiled_in():
    """Kata 30's lesson and tests: recompiled in, an optimizer built on every variable trains a
    part of them (layer 'a' frozen) and all of them again (the same set); one built while 'a' was
    frozen makes fit() raise "Unknown variable" once 'a' is unfrozen, also when another layer is
    frozen so that the counts match (wrong answer compares_counts). The error comes while fit()
    traces its first step: no weight and not the iteration count has changed (right answer
    falls_back_on_unknown_variable)."""
    model = two_layer_model()
    a = model.get_layer("a")
    optimizer = keras.optimizers.Adam(1e-2)
    fit_once(model, optimizer)
    a.trainable = False
    fit_once(model, optimizer)
    a.trainable = True
    before = values(a.weights)
    fit_once(model, optimizer)
    assert model.optimizer is optimizer and all(decayed(v, w) for v, w in zip(a.weights, before))

    for also_freeze_b in (False, True):
        model = two_layer_model()
        a, b = model.get_layer("a"), model.get_layer("b")
        a.kernel.trainable = False  # built on a.bias, b.kernel, b.bias
        optimizer = keras.optimizers.Adam(1e-2)
        fit_once(model, optimizer)
        a.kernel.trainable = True
        if also_freeze_b:
            b.bias.trainable = False  # as many variables as it was built on, not the same ones
            assert len(model.trainable_variables) == len(optimizer._trainable_variables)
        before, steps = values(model.weights), int(optimizer.iterations.numpy())
        with pytest.raises(ValueError, match="Unknown variable"):
            fit_once(model, optimizer)
        assert not any(decayed(v, w) for v, w in zip(model.weights, before))
        assert int(optimizer.iterations.numpy()) == steps


def test_a_frozen_layer_keeps_its_moments_and_gets_them_back_stale():
    """Kata 30's lesson and test: while a layer is frozen the optimizer leaves its moments
    untouched and goes on counting steps; recompiling the same optimizer in after the unfreeze
    keeps them; the unfrozen layer's next Adam step starts from those stale moments, with the
    bias correction of the optimizer's step count (iterations + 1), not of the layer's own."""
    model = two_layer_model()
    a = model.get_layer("a")
    optimizer = keras.optimizers.Adam(1e-2)
    fit_once(model, optimizer)
    index = optimizer._get_variable_index(a.kernel)
    slots = (optimizer._momentums[index], optimizer._velocities[index])
    stale = values(slots)
    assert all(np.any(s != 0) for s in stale)
    a.trainable = False
    fit_once(model, optimizer, seed=1)
    assert int(optimizer.iterations.numpy()) == 4
    assert not any(decayed(s, w) for s, w in zip(slots, stale))
    a.trainable = True
    model.compile(optimizer=optimizer, loss="mse")
    assert not any(decayed(s, w) for s, w in zip(slots, stale))

    # One step with a known gradient, computed by hand in float64 (the same math two ways).
    grads = [np.full(v.shape, 0.5, "float32") for v in model.trainable_variables]
    kernel = a.kernel.numpy().astype("float64")
    optimizer.apply(grads, model.trainable_variables)
    t, (m, v) = 5, (s.astype("float64") for s in stale)
    m, v = m + (0.5 - m) * 0.1, v + (0.25 - v) * 0.001
    alpha = 1e-2 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
    assert agree(a.kernel.numpy(), kernel - alpha * m / (np.sqrt(v) + 1e-7))


def test_from_config_makes_an_optimizer_of_the_same_class_and_settings_with_no_state():
    """Kata 30's lesson and hint 2: type(optimizer).from_config(optimizer.get_config()) of a used
    optimizer has its class and settings, 0 steps, and is not built (no moments yet); a new
    optimizer from the class and the learning rate alone loses the other settings (wrong answer
    fresh_with_class_and_rate_only)."""
    model = two_layer_model()
    optimizer = keras.optimizers.SGD(0.05, momentum=0.9)
    fit_once(model, optimizer)
    fresh = type(optimizer).from_config(optimizer.get_config())
    assert type(fresh) is keras.optimizers.SGD and fresh.momentum == 0.9
    assert float(fresh.learning_rate) == pytest.approx(0.05)
    assert int(fresh.iterations.numpy()) == 0 and not fresh.built
    assert keras.optimizers.SGD(learning_rate=0.05).momentum == 0.0


def test_without_a_recompile_an_unfrozen_layer_stays_put():
    """Kata 30's lesson and wrong answers no_recompile and fits_with_a_new_batch_size: after a
    traced fit() with a layer frozen, unfreezing it changes nothing while fit() reuses that step
    (the same batch size), even with an optimizer built on every variable; a new batch size
    retraces and trains it; compile() discards the old step."""
    for batch_size, recompile, trained in ((32, False, False), (16, False, True), (32, True, True)):
        model = two_layer_model()
        a = model.get_layer("a")
        optimizer = keras.optimizers.Adam(1e-2)
        fit_once(model, optimizer)  # built on every variable
        a.trainable = False
        fit_once(model, optimizer)  # traced with 'a' frozen
        a.trainable = True
        if recompile:
            model.compile(optimizer=optimizer, loss="mse")
        before = values(a.weights)
        x = np.random.default_rng(2).normal(size=(64, 4)).astype("float32")
        model.fit(x, np.tanh(x[:, :1]), batch_size=batch_size, verbose=0)
        assert any(decayed(v, w) for v, w in zip(a.weights, before)) is trained



def test_compile_without_a_loss_trains_with_the_old_one_but_records_none(tmp_path):
    """Kata 30's statement and wrong answer compiles_without_a_loss: compile() given no loss keeps
    the compiled one for training (model.loss stays 'mae'), but its compile config records no
    loss, so the model saved and loaded back has none and its fit() raises ValueError;
    loss=model.loss records it again."""
    x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
    y = np.tanh(x[:, :1])
    for again, recorded in ((False, None), (True, "mae")):
        model = two_layer_model()
        fit_once(model, keras.optimizers.SGD(0.05), loss="mae")
        if again:
            model.compile(optimizer=model.optimizer, loss=model.loss)
        else:
            model.compile(optimizer=model.optimizer)
        assert model.loss == "mae" and model.get_compile_config()["loss"] == recorded
        y_pred = keras.ops.convert_to_numpy(model(x))
        loss = keras.ops.convert_to_numpy(model.compute_loss(x=x, y=y, y_pred=y_pred))
        assert agree(float(loss), float(np.mean(np.abs(y_pred - y))))  # still 'mae'
        path = tmp_path / f"again_{again}.keras"
        model.save(path)
        loaded = keras.models.load_model(path)
        assert loaded.loss == recorded
        if recorded is None:
            with pytest.raises(ValueError, match="No loss"):
                loaded.fit(x, y, verbose=0)

# --- kata 31: a larger embedding whose pretrained rows stay ------------------------------------

V, D = 8, 3


def pretrained_rows(dtype="float32"):
    return np.random.default_rng(0).normal(size=(V, D)).astype(dtype)


def bag_of_words(embedding, length=4):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((length,), dtype="int32")
    pooled = layers.GlobalAveragePooling1D()(embedding(inputs))
    return keras.Model(inputs, layers.Dense(1)(pooled))


def fit_ids(model, optimizer, ids, seed=0):
    y = np.random.default_rng(seed).normal(size=(len(ids), 1)).astype("float32")
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(ids, y, batch_size=len(ids), verbose=0)


class MaskedRows(layers.Layer):
    """One trainable matrix whose first `frozen` rows are looked up through stop_gradient."""

    def __init__(self, rows, frozen, **kwargs):
        super().__init__(**kwargs)
        self.frozen = frozen
        self.matrix = self.add_weight(shape=rows.shape, initializer=keras.initializers.Constant(rows))

    def call(self, ids):
        table = keras.ops.concatenate([keras.ops.stop_gradient(self.matrix[:self.frozen]),
                                       self.matrix[self.frozen:]], axis=0)
        return keras.ops.take(table, keras.ops.cast(ids, "int32"), axis=0)


class SplitRows(layers.Layer):
    """The first rows in a variable with trainable=False, the others in a trainable one."""

    def __init__(self, rows, frozen, **kwargs):
        super().__init__(**kwargs)
        self.old = self.add_weight(shape=rows[:frozen].shape, dtype=rows.dtype, trainable=False,
                                   initializer=keras.initializers.Constant(rows[:frozen]))
        self.new = self.add_weight(shape=rows[frozen:].shape, dtype=rows.dtype,
                                   initializer=keras.initializers.Constant(rows[frozen:]))

    def call(self, ids):
        table = keras.ops.concatenate([self.old, self.new], axis=0)
        return keras.ops.take(table, keras.ops.cast(ids, "int32"), axis=0)


class KeepFirstRows(keras.constraints.Constraint):
    def __init__(self, rows):
        self.rows = rows

    def __call__(self, matrix):
        return keras.ops.concatenate([keras.ops.convert_to_tensor(self.rows), matrix[len(self.rows):]],
                                     axis=0)


def lookup(layer, count=V):
    return np.array(keras.ops.convert_to_numpy(layer(np.arange(count))), copy=True)


@pytest.mark.parametrize("make_optimizer, exact", [
    (lambda: keras.optimizers.SGD(0.1), True),
    (lambda: keras.optimizers.Adam(1e-2), True),
    (lambda: keras.optimizers.AdamW(1e-2), False),
    (lambda: keras.optimizers.SGD(0.1, weight_decay=0.1), False),
], ids=["sgd", "adam", "adamw", "sgd_weight_decay"])
def test_a_stop_gradient_mask_keeps_rows_exact_only_without_weight_decay(make_optimizer, exact):
    """Kata 31's lesson and wrong answer masks_the_gradient: old rows looked up through
    keras.ops.stop_gradient get a gradient of 0 and stay bit-exact under SGD and Adam, but weight
    decay (AdamW's default, or SGD's weight_decay) moves them; the other rows train."""
    rows = pretrained_rows()
    layer = MaskedRows(rows, frozen=5)
    ids = np.random.default_rng(1).integers(0, V, size=(16, 4))
    fit_ids(bag_of_words(layer), make_optimizer(), ids)
    now = lookup(layer)
    assert np.array_equal(now[:5], rows[:5]) is exact
    assert not np.array_equal(now[5:], rows[5:])


def test_rows_no_batch_looks_up_move_under_adam_momentum_and_weight_decay():
    """Kata 31's lesson ("trusting the data is no freeze"): a row that no batch looks up stays put
    under SGD; under Adam a row looked up in an earlier batch keeps moving when later batches leave
    it out (momentum); under weight decay a row never looked up moves."""
    rows = pretrained_rows()
    used_first, used_later = np.full((16, 4), 1), np.full((16, 4), 2)
    for make, moves_later in ((lambda: keras.optimizers.SGD(0.1), False),
                              (lambda: keras.optimizers.Adam(1e-2), True)):
        embedding = layers.Embedding(V, D, embeddings_initializer=keras.initializers.Constant(rows))
        model = bag_of_words(embedding)
        optimizer = make()
        fit_ids(model, optimizer, used_first)
        after_first = lookup(embedding)
        model.fit(used_later, np.ones((16, 1)), batch_size=16, verbose=0)
        assert not np.array_equal(lookup(embedding)[1], after_first[1]) is moves_later
        assert np.array_equal(lookup(embedding)[5], rows[5])  # never looked up, no decay
    embedding = layers.Embedding(V, D, embeddings_initializer=keras.initializers.Constant(rows))
    fit_ids(bag_of_words(embedding), keras.optimizers.AdamW(1e-2), used_first)
    assert not np.array_equal(lookup(embedding)[5], rows[5])


@pytest.mark.parametrize("keep", ["split_variables", "constraint"])
def test_a_frozen_variable_or_a_constraint_keeps_the_rows_under_weight_decay(keep):
    """Kata 31's lesson, solution and right answer: the first rows in a variable with
    trainable=False (never updated, never decayed), or one Embedding whose embeddings_constraint
    puts them back after each update (applied after the weight decay too), stay bit-identical
    under AdamW while the other rows train."""
    rows = pretrained_rows()
    if keep == "split_variables":
        layer = SplitRows(rows, frozen=5)
    else:
        layer = layers.Embedding(V, D, embeddings_initializer=keras.initializers.Constant(rows),
                                 embeddings_constraint=KeepFirstRows(rows[:5]))
    ids = np.random.default_rng(1).integers(0, V, size=(16, 4))
    model = bag_of_words(layer)
    fit_ids(model, keras.optimizers.AdamW(1e-2, weight_decay=0.5), ids)
    model.fit(ids, np.ones((16, 1)), batch_size=8, verbose=0)
    now = lookup(layer)
    assert np.array_equal(now[:5], rows[:5])
    assert all(not np.array_equal(now[i], rows[i]) for i in range(5, V))


def test_a_float32_copy_of_a_float64_matrix_is_not_the_matrix():
    """Kata 31's lesson and wrong answer casts_to_float32: an Embedding built with the float32
    default from a float64 matrix holds rounded rows; with dtype="float64" (or the pretrained
    layer's dtype_policy) it holds them bit for bit, and convert_to_numpy keeps that dtype. A
    layer of one's own whose variables are created float64 (add_weight(dtype=...)) looks them
    up in float64, even under the default float32 policy (the solution)."""
    rows = pretrained_rows("float64")
    rounded = layers.Embedding(V, D, embeddings_initializer=keras.initializers.Constant(rows))
    assert lookup(rounded).dtype == np.float32 and not np.array_equal(lookup(rounded), rows)
    exact = layers.Embedding(V, D, dtype="float64",
                             embeddings_initializer=keras.initializers.Constant(rows))
    assert lookup(exact).dtype == np.float64 and np.array_equal(lookup(exact), rows)
    again = layers.Embedding(V, D, dtype=exact.dtype_policy,
                             embeddings_initializer=keras.initializers.Constant(
                                 keras.ops.convert_to_numpy(exact.embeddings)))
    assert np.array_equal(lookup(again), rows)
    split = SplitRows(rows, frozen=5)
    assert lookup(split).dtype == np.float64 and np.array_equal(lookup(split), rows)


def test_mask_zero_makes_global_average_pooling_skip_id_0():
    """Kata 31's lesson and wrong answer drops_mask_zero: an Embedding with mask_zero=True masks
    id 0, and GlobalAveragePooling1D after it averages only the other positions; without the
    mask it averages them all."""
    rows = pretrained_rows()
    ids = np.array([[3, 4, 0, 0], [5, 6, 7, 0]])
    for mask_zero in (True, False):
        embedding = layers.Embedding(V, D, mask_zero=mask_zero,
                                     embeddings_initializer=keras.initializers.Constant(rows))
        model = bag_of_words(embedding)
        dense = model.layers[-1]
        keep = (ids != 0)[..., None] if mask_zero else np.ones(ids.shape + (1,))
        pooled = (rows[ids] * keep).sum(axis=1) / keep.sum(axis=1)
        want = pooled @ dense.kernel.numpy() + dense.bias.numpy()
        assert agree(model.predict(ids, verbose=0), want)
    assert np.array_equal(keras.ops.convert_to_numpy(
        layers.Embedding(V, D, mask_zero=True).compute_mask(ids)), ids != 0)


def test_an_embedding_starts_uniform_in_plus_minus_0_05():
    """Kata 31's lesson and wrong answer random_new_rows: an Embedding's default initializer is
    uniform in [-0.05, 0.05]."""
    initializer = layers.Embedding(V, D).embeddings_initializer
    assert isinstance(initializer, keras.initializers.RandomUniform)
    assert (initializer.minval, initializer.maxval) == (-0.05, 0.05)


def test_a_mixed_float16_embedding_keeps_float32_rows_and_returns_float16():
    """Kata 31's statement and wrong answer drops_the_dtype_policy: an Embedding under the
    "mixed_float16" policy keeps its embeddings in float32 and returns them rounded to float16;
    a layer built without that policy (the default float32) returns float32 rows."""
    embedding = layers.Embedding(6, 3, dtype="mixed_float16")
    embedding.build((None,))
    rows = keras.ops.convert_to_numpy(embedding(np.arange(6)))
    assert embedding.embeddings.dtype == "float32" and rows.dtype == np.float16
    assert np.array_equal(rows, embedding.embeddings.numpy().astype("float16"))
    plain = layers.Embedding(6, 3)
    plain.build((None,))
    assert keras.ops.convert_to_numpy(plain(np.arange(6))).dtype == np.float32


def test_add_weight_without_a_shape_holds_a_constant_matrix_in_a_shape_0_variable():
    """Kata 31's statement and wrong answer leaves_out_the_shape: add_weight's shape defaults to
    (), and a Constant initializer still fills the variable with its whole matrix, so the variable
    reports the shape () and count_params() counts it as 1 number."""
    rows = pretrained_rows()
    layer = layers.Layer()
    variable = layer.add_weight(initializer=keras.initializers.Constant(rows), trainable=False)
    assert tuple(variable.shape) == () and np.array_equal(variable.numpy(), rows)
    layer.built = True  # as a layer whose variables are made in __init__ is, once called
    assert layer.count_params() == 1
