"""Behaviours of the installed Keras that the lessons and hints state, checked on every `make test`.

These are the facts that several katas rely on; those of one group of katas are in
test_facts_kNN_kMM.py. If a Keras upgrade changes one of them, this file fails and the lesson that
states it must change too.
"""
import numpy as np
import pytest

keras = pytest.importorskip("keras")


def small_model():
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="a"),
                             keras.layers.Dense(3, name="b"), keras.layers.Dense(1, name="c")])


def test_variable_in_list_compares_values_and_raises():
    """Kata 5's hint: `v in model.trainable_weights` is not an identity test. Python's `in` tries
    `is` first and then `==`, and a Keras variable's `==` is elementwise: it raises for every
    variable that is not the first match. Compare by id() instead."""
    model = small_model()
    model.get_layer("a").trainable = False
    frozen_kernel = model.get_layer("a").kernel
    with pytest.raises(Exception):
        _ = frozen_kernel in model.trainable_weights
    assert id(frozen_kernel) not in {id(v) for v in model.trainable_weights}


def test_compile_keeps_the_loss_on_model_loss():
    """Katas 3 and 4 recompile with `loss=model.loss`: Keras keeps what compile() was given."""
    model = small_model()
    model.compile(optimizer="adam", loss="mae")
    assert model.loss == "mae"
    loss = keras.losses.Huber(delta=0.5)
    model.compile(optimizer="adam", loss=loss)
    assert model.loss is loss


def test_unfreezing_after_a_traced_fit_needs_a_recompile():
    """Kata 4's premise, re-checked on the installed version."""
    model = small_model()
    model.get_layer("a").trainable = False
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    model.fit(x, x[:, :1], epochs=1, batch_size=8, verbose=0)
    model.get_layer("a").trainable = True
    before = model.get_layer("a").kernel.numpy().copy()
    model.fit(x, x[:, :1], epochs=1, batch_size=8, verbose=0)
    assert np.array_equal(before, model.get_layer("a").kernel.numpy())
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(x, x[:, :1], epochs=1, batch_size=8, verbose=0)
    assert not np.array_equal(before, model.get_layer("a").kernel.numpy())


def test_setting_trainable_true_on_a_trainable_model_is_a_no_op():
    """Katas 1 and 2: a child frozen on its own stays frozen."""
    model = small_model()
    model.get_layer("b").trainable = False
    model.trainable = True
    assert model.get_layer("b").trainable is False
    model.trainable = False
    model.trainable = True
    assert model.get_layer("b").trainable is True


def test_a_new_batch_shape_retraces_and_then_unknown_variable_is_raised():
    """Katas 3 and 4 keep the batch shape of the first fit: "ignored until recompile" holds while the
    traced function is reused. A fit with another batch shape retraces; after an unfreeze without
    recompiling, the retraced step meets variables the optimizer was not built for."""
    model = small_model()
    model.get_layer("a").trainable = False
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(1).normal(size=(32, 4)).astype("float32")
    model.fit(x, x[:, :1], epochs=1, batch_size=32, verbose=0)
    model.get_layer("a").trainable = True
    with pytest.raises(ValueError, match="Unknown variable"):
        model.fit(x, x[:, :1], epochs=1, batch_size=16, verbose=0)


def test_adams_first_step_moves_a_weight_by_about_the_learning_rate():
    """Kata 3 measures the learning rate fit() used from one Adam step: the first update is
    lr * m / (sqrt(v) + eps) with m = (1 - b1) g, v = (1 - b2) g^2 after bias correction, i.e.
    just under lr for every weight whose gradient is not tiny."""
    model = small_model()
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    x = np.random.default_rng(2).normal(size=(32, 4)).astype("float32")
    before = model.get_layer("a").kernel.numpy().copy()
    model.fit(x, x[:, :1], epochs=1, batch_size=32, verbose=0)
    step = np.abs(model.get_layer("a").kernel.numpy() - before).max()
    # Arithmetic, so on any CPU: the step is at most lr, plus the float32 rounding of the new
    # weight (at most 6e-8 for weights below 2 in size), within the 1e-7 allowed above lr.
    assert 0.9e-3 < step <= 1.0001e-3


def traced_fit(build_optimizer_first: bool):
    """One epoch of fit() on the zoo's base + head; (train_step traces, weights after)."""
    from dojo import zoo

    model = zoo.with_head(zoo.pretrained_base())
    if build_optimizer_first:
        zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    else:
        model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    traces = []
    train_step = model.train_step
    model.train_step = lambda data: traces.append(1) or train_step(data)
    model.fit(*zoo.regression_data(64, seed=9), epochs=2, batch_size=16, shuffle=False, verbose=0)
    return len(traces), model.get_weights()


def test_an_optimizer_built_before_fit_halves_the_tracing_and_changes_no_number():
    """The kit's test-owned fits use zoo.compile_ready_to_fit. Without a distribution strategy
    Keras builds the optimizer inside the first traced train step, and the variables it creates
    there make TensorFlow trace that step twice; built beforehand, once. Weights after fit() are
    bit-identical either way, so tests that build first check the same numbers, faster."""
    inside_traces, inside_weights = traced_fit(build_optimizer_first=False)
    first_traces, first_weights = traced_fit(build_optimizer_first=True)
    assert (inside_traces, first_traces) == (2, 1)
    assert all(np.array_equal(a, b) for a, b in zip(inside_weights, first_weights))


# --- what compile() records (katas 3 and 4; any kata that compiles a trained model again) -------


def trained_with(metrics=None, loss="mse"):
    """small_model() compiled with `loss` and `metrics`, fit once; then every layer trainable."""
    model = small_model()
    model.get_layer("a").trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=loss, metrics=metrics)
    x = np.random.default_rng(3).normal(size=(64, 4)).astype("float32")
    model.fit(x, x[:, :1], epochs=1, batch_size=16, verbose=0)
    model.get_layer("a").trainable = True
    return model, x, x[:, :1]


def test_compile_without_metrics_keeps_reporting_them_but_the_config_and_a_saved_model_lose_them(
        tmp_path):
    """Katas 3 and 4: `model.compile(optimizer=..., loss=model.loss)` with no `metrics` keeps the
    metric objects the model already has in use: fit() and evaluate() still report them. But the
    compile config (get_compile_config(), which model.save() writes) records only what this
    compile() got: metrics None, so the model saved now loads without them."""
    model, x, y = trained_with(metrics=["mae"])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=model.loss)
    assert sorted(model.fit(x, y, batch_size=16, verbose=0).history) == ["loss", "mae"]
    assert sorted(model.evaluate(x, y, verbose=0, return_dict=True)) == ["loss", "mae"]
    assert model.get_compile_config()["metrics"] is None
    model.save(tmp_path / "fine_tuned.keras")
    loaded = keras.models.load_model(tmp_path / "fine_tuned.keras")
    assert sorted(loaded.evaluate(x, y, verbose=0, return_dict=True)) == ["loss"]


def test_compile_without_a_loss_keeps_using_it_but_a_saved_model_has_none(tmp_path):
    """Katas 3, 14, 15 and 22: the same for the loss. compile() without `loss` keeps computing the
    old one, but its config says None, and the model saved now cannot evaluate after loading."""
    model, x, y = trained_with()
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    assert model.loss == "mse"
    assert np.isfinite(model.fit(x, y, batch_size=16, verbose=0).history["loss"][0])
    assert model.get_compile_config()["loss"] is None
    model.save(tmp_path / "fine_tuned.keras")
    loaded = keras.models.load_model(tmp_path / "fine_tuned.keras")
    with pytest.raises(ValueError, match="No loss to compute"):
        loaded.evaluate(x, y, verbose=0)


def test_the_compile_config_gives_back_the_metrics_once_deserialized():
    """Katas 3 and 4: `model.get_compile_config()["metrics"]` is what compile() was given,
    serialized: names stay names, metric objects become dicts. `keras.saving.
    deserialize_keras_object` turns it back into metrics that compile() takes (names, objects, or
    None when there were none); the serialized dicts themselves are no metrics, and fit() fails on
    them. Passing the deserialized metrics keeps them reported and in the config."""
    metrics = ["mae", keras.metrics.RootMeanSquaredError()]
    model, x, y = trained_with(metrics=metrics)
    config = model.get_compile_config()["metrics"]
    assert config[0] == "mae" and isinstance(config[1], dict)
    restored = keras.saving.deserialize_keras_object(config)
    assert restored[0] == "mae" and isinstance(restored[1], keras.metrics.RootMeanSquaredError)
    assert keras.saving.deserialize_keras_object(None) is None
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=model.loss, metrics=restored)
    assert sorted(model.fit(x, y, batch_size=16, verbose=0).history) == [
        "loss", "mae", "root_mean_squared_error"]
    assert model.get_compile_config()["metrics"] == config
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=model.loss, metrics=config)
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        model.fit(x, y, batch_size=16, verbose=0)


def test_a_loss_rebuilt_from_the_compile_config_can_lose_an_argument():
    """Kata 3 (why the loss comes from `model.loss`, not from the config): on Keras 3.15,
    `keras.losses.Huber(delta=0.5).get_config()` has no delta, so the compile config's loss,
    deserialized, is a Huber with delta 1.0. model.loss is the object compile() was given."""
    model = small_model()
    huber = keras.losses.Huber(delta=0.5)
    model.compile(optimizer="adam", loss=huber)
    assert model.loss is huber
    rebuilt = keras.saving.deserialize_keras_object(model.get_compile_config()["loss"])
    y_true, y_pred = np.zeros((4, 1), "float32"), np.full((4, 1), 2.0, "float32")
    assert float(huber(y_true, y_pred)) == pytest.approx(0.5 * 2.0 - 0.5 * 0.5 ** 2)  # 0.875
    assert float(rebuilt(y_true, y_pred)) == pytest.approx(1.0 * 2.0 - 0.5 * 1.0 ** 2)  # 1.5
