"""Behaviours of the installed Keras that the lessons and hints state, checked on every `make test`.

../keras-facts (the team's fact table) covers most of what the katas teach; the facts below were
found while writing the katas and are not in that table. If a Keras upgrade changes one of them,
this file fails and the lesson that states it must change too.
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
    """Kata 4's premise (keras-facts row 6), re-checked on the installed version."""
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
    """Katas 1 and 2 (keras-facts row 26): a child frozen on its own stays frozen."""
    model = small_model()
    model.get_layer("b").trainable = False
    model.trainable = True
    assert model.get_layer("b").trainable is False
    model.trainable = False
    model.trainable = True
    assert model.get_layer("b").trainable is True


def test_a_new_batch_shape_retraces_and_then_unknown_variable_is_raised():
    """Katas 3 and 4 keep the batch shape of the first fit: keras-facts row 6 holds while the
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
