"""Behaviours of the installed Keras that katas 19-21 (level 4, "beyond fit()") teach.

Each is checked here on the installed version, in the form the lessons state it, with the
details the lessons add. If a Keras upgrade changes one of these, this file fails and
the lesson that states it must change too.
"""
import warnings

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")


def data(n=32, d=4, out=1, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    y = np.tanh(x @ rng.normal(size=(d, out))).astype("float32")
    return x, y


def values(layer):
    return [np.array(v.numpy(), copy=True) for v in layer.weights]


def moved(before, layer):
    return any(not np.array_equal(a, v.numpy()) for a, v in zip(before, layer.weights))


def encoder_and_model_a():
    keras.utils.set_random_seed(0)
    encoder = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="tanh")],
                               name="encoder")
    inputs = keras.Input((4,))
    model_a = keras.Model(inputs, keras.layers.Dense(1)(encoder(inputs)))
    return encoder, model_a


def model_on(encoder, features_of):
    inputs = keras.Input((4,))
    return keras.Model(inputs, keras.layers.Dense(1)(features_of(inputs)))


def fit(model, x, y, optimizer=None):
    model.compile(optimizer=optimizer or keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)


# --- kata 19 ----------------------------------------------------------------------------------


def test_stop_gradient_freezes_a_shared_encoder_in_one_model_only():
    """Kata 19: with keras.ops.stop_gradient on the encoder's output, fit()
    on model B warns "Gradients do not exist" and leaves the encoder bit-identical, even with
    AdamW's weight decay, although the encoder's variables are still in B.trainable_weights;
    model A, recompiled, still trains it."""
    x, y = data()
    encoder, model_a = encoder_and_model_a()
    fit(model_a, x, y)
    model_b = model_on(encoder, lambda t: keras.ops.stop_gradient(encoder(t)))
    assert {id(v) for v in encoder.weights} <= {id(v) for v in model_b.trainable_weights}
    before = values(encoder)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit(model_b, x, y, keras.optimizers.AdamW(1e-2, weight_decay=0.5))
    assert any("Gradients do not exist" in str(w.message) for w in caught)
    assert not moved(before, encoder)
    fit(model_a, x, y)
    assert moved(before, encoder)


def test_a_shared_layers_flag_freezes_it_in_every_model():
    """Kata 19: freezing the encoder, or a Sequential that wraps
    it, sets the encoder's own flag, so model A stops training it once recompiled. Model A, not
    recompiled, still trains it while its fit() reuses the traced step (same batch size), and
    stops when a new batch size retraces the step."""
    x, y = data()
    encoder, model_a = encoder_and_model_a()
    fit(model_a, x, y)
    wrapper = keras.Sequential([encoder])
    wrapper.trainable = False
    assert encoder.trainable is False
    assert all(not layer.trainable for layer in encoder.layers)
    before = values(encoder)
    model_a.fit(x, y, epochs=1, batch_size=8, verbose=0)  # old train function
    assert moved(before, encoder)
    before = values(encoder)
    model_a.fit(x, y, epochs=1, batch_size=16, verbose=0)  # not recompiled, but retraced
    assert not moved(before, encoder)
    before = values(encoder)
    fit(model_a, x, y)  # recompiled
    assert not moved(before, encoder)


@pytest.mark.parametrize("features_of", [
    lambda encoder: (lambda t: encoder(t, training=False)),
    lambda encoder: (lambda t: encoder(keras.ops.stop_gradient(t))),
], ids=["training_false", "stop_gradient_on_the_input"])
def test_inference_mode_or_a_stopped_input_does_not_freeze_the_encoder(features_of):
    """Kata 19's wrong answers: calling the encoder with training=False, or stopping the gradient
    at the input instead of the encoder's output, still lets fit() train the encoder."""
    x, y = data()
    encoder, _ = encoder_and_model_a()
    model_b = model_on(encoder, features_of(encoder))
    before = values(encoder)
    fit(model_b, x, y)
    assert moved(before, encoder)


# --- kata 20 ----------------------------------------------------------------------------------

ROWS = 2


def partly_frozen_model():
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="tanh"),
                             keras.layers.Dense(1)])


class MaskedTrainer(keras.Model):
    """Zeroes the gradient of the first ROWS rows of the first layer's kernel; with `restore`,
    also puts those rows back after apply_gradients."""

    def __init__(self, inner, restore=False):
        super().__init__()
        self.inner = inner
        self.restore = restore
        self.kept = tf.constant(inner.layers[0].kernel.numpy()[:ROWS])
        mask = np.ones(inner.layers[0].kernel.shape, "float32")
        mask[:ROWS] = 0.0
        self.mask = tf.constant(mask)

    def call(self, inputs, training=None):
        return self.inner(inputs, training=training)

    def train_step(self, batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=True))
        variables = self.trainable_variables
        grads = tape.gradient(loss, variables)
        kernel = self.inner.layers[0].kernel
        grads = [g * self.mask if v is kernel else g for g, v in zip(grads, variables)]
        self.optimizer.apply_gradients(zip(grads, variables))
        if self.restore:
            kernel.assign(tf.concat([self.kept, kernel[ROWS:]], axis=0))
        return {"loss": loss}


def rows_frozen_and_rest_moved(kernel, before):
    now = kernel.numpy()
    return bool(np.array_equal(now[:ROWS], before[:ROWS])), bool(np.all(now[ROWS:] != before[ROWS:]))


@pytest.mark.parametrize("make_optimizer, frozen", [
    (lambda: keras.optimizers.SGD(0.1), True),
    (lambda: keras.optimizers.SGD(0.1, momentum=0.9), True),
    (lambda: keras.optimizers.Adam(1e-2), True),
    (lambda: keras.optimizers.RMSprop(1e-2), True),
    (lambda: keras.optimizers.AdamW(1e-2, weight_decay=0.1), False),
    (lambda: keras.optimizers.SGD(0.1, weight_decay=0.1), False),
    (lambda: keras.optimizers.Adam(1e-2, weight_decay=0.1), False),
    (lambda: keras.optimizers.RMSprop(1e-2, weight_decay=0.1), False),
], ids=["sgd", "momentum", "adam", "rmsprop", "adamw", "sgd_weight_decay", "adam_weight_decay",
        "rmsprop_weight_decay"])
def test_a_gradient_mask_keeps_rows_exact_only_without_weight_decay(make_optimizer, frozen):
    """Kata 20: masking the gradient keeps the masked rows bit-exact
    with SGD, momentum, Adam and RMSprop, but not under weight decay, which every optimizer
    accepts (AdamW, and SGD, Adam or RMSprop given weight_decay=...): the decay moves them."""
    x, y = data()
    model = partly_frozen_model()
    kernel = model.layers[0].kernel
    before = np.array(kernel.numpy(), copy=True)
    fit(MaskedTrainer(model), x, y, make_optimizer())
    assert rows_frozen_and_rest_moved(kernel, before) == (frozen, True)


def test_weight_decay_is_off_by_default_except_in_adamw():
    """Kata 20's lesson: every optimizer takes `weight_decay`; AdamW's default is 0.004, the
    others' is None (no decay)."""
    assert keras.optimizers.AdamW().weight_decay == pytest.approx(0.004)
    for optimizer in (keras.optimizers.SGD(), keras.optimizers.Adam(), keras.optimizers.RMSprop()):
        assert optimizer.weight_decay is None
    assert keras.optimizers.SGD(weight_decay=0.1).weight_decay == pytest.approx(0.1)


@pytest.mark.parametrize("make_optimizer", [
    lambda: keras.optimizers.AdamW(1e-2, weight_decay=0.1),
    lambda: keras.optimizers.SGD(0.1, weight_decay=0.1),
    lambda: keras.optimizers.Adam(1e-2, weight_decay=0.1),
], ids=["adamw", "sgd_weight_decay", "adam_weight_decay"])
def test_weight_decay_never_touches_a_frozen_variable(make_optimizer):
    """Kata 20: a variable with trainable = False is never decayed, whether
    its whole layer is frozen or only the variable (here the kernel, while the bias trains)."""
    x, y = data()
    model = partly_frozen_model()
    layer = model.layers[0]
    layer.trainable = False
    before = values(layer)
    fit(model, x, y, make_optimizer())
    assert not moved(before, layer)
    model = partly_frozen_model()
    layer = model.layers[0]
    layer.kernel.trainable = False
    kernel, bias = (np.array(v.numpy(), copy=True) for v in (layer.kernel, layer.bias))
    fit(model, x, y, make_optimizer())
    assert np.array_equal(layer.kernel.numpy(), kernel)
    assert not np.array_equal(layer.bias.numpy(), bias)


def test_a_train_step_that_restores_the_rows_after_the_update_survives_adamw():
    """Kata 20: a custom train_step that puts the rows back after apply_gradients keeps them
    bit-exact under AdamW too."""
    x, y = data()
    model = partly_frozen_model()
    kernel = model.layers[0].kernel
    before = np.array(kernel.numpy(), copy=True)
    fit(MaskedTrainer(model, restore=True), x, y, keras.optimizers.AdamW(1e-2, weight_decay=0.1))
    assert rows_frozen_and_rest_moved(kernel, before) == (True, True)


class KeepFirstRows(keras.constraints.Constraint):
    def __init__(self, rows):
        self.rows = keras.ops.convert_to_tensor(rows)

    def __call__(self, kernel):
        return keras.ops.concatenate([self.rows, kernel[ROWS:]], axis=0)


@pytest.mark.parametrize("make_optimizer", [
    lambda: keras.optimizers.AdamW(1e-2, weight_decay=0.1),
    lambda: keras.optimizers.SGD(0.1, weight_decay=0.1),
    lambda: keras.optimizers.Adam(1e-2, weight_decay=0.1),
], ids=["adamw", "sgd_weight_decay", "adam_weight_decay"])
def test_a_constraint_set_after_build_keeps_rows_exact_under_weight_decay(make_optimizer):
    """Kata 20: `variable.constraint` can be assigned on a built layer, and the optimizer applies
    it after every update, weight decay included (AdamW's, SGD's or Adam's), so the rows stay
    bit-exact."""
    x, y = data()
    model = partly_frozen_model()
    kernel = model.layers[0].kernel
    before = np.array(kernel.numpy(), copy=True)
    kernel.constraint = KeepFirstRows(before[:ROWS])
    fit(model, x, y, make_optimizer())
    assert rows_frozen_and_rest_moved(kernel, before) == (True, True)


def test_a_callback_that_restores_rows_after_each_batch_keeps_them_exact_under_adamw():
    """Kata 20: restoring the rows in on_train_batch_end keeps them bit-exact between steps,
    AdamW included."""
    x, y = data()
    model = partly_frozen_model()
    kernel = model.layers[0].kernel
    before = np.array(kernel.numpy(), copy=True)
    seen = []

    class Restore(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            seen.append(np.array_equal(kernel.numpy()[:ROWS], before[:ROWS]))

        def on_train_batch_end(self, batch, logs=None):
            now = kernel.numpy()
            now[:ROWS] = before[:ROWS]
            kernel.assign(now)

    model.compile(optimizer=keras.optimizers.AdamW(1e-2, weight_decay=0.1), loss="mse")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[Restore()])
    assert seen == [True] * 4
    assert rows_frozen_and_rest_moved(kernel, before) == (True, True)


# --- kata 21 ----------------------------------------------------------------------------------


def model_with_base():
    keras.utils.set_random_seed(0)
    base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="tanh"),
                             keras.layers.Dense(5, activation="tanh")], name="base")
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(1)(base(inputs)))
    base.layers[0].trainable = False
    return model, base


def one_step(model, optimizer, x, y):
    """(gradient, change) per variable id, for one fit() step on one full batch."""
    variables = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y, model(x, training=True))
    grads = {id(v): np.asarray(g) for v, g in zip(variables, tape.gradient(loss, variables))}
    before = {id(v): np.array(v.numpy(), copy=True) for v in model.weights}
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    return {id(v): (grads.get(id(v)), v.numpy() - before[id(v)]) for v in model.weights}


def test_multi_optimizer_gives_exact_per_group_sgd_steps():
    """Kata 21: keras.optimizers.MultiOptimizer exists in Keras 3.15; with a
    callable that picks an optimizer per variable (by id), each group takes exactly its own SGD
    step, and a layer frozen beforehand stays bit-identical."""
    assert hasattr(keras.optimizers, "MultiOptimizer")
    x, y = data()
    model, base = model_with_base()
    base_ids = {id(v) for v in base.weights}
    slow, fast = keras.optimizers.SGD(0.01), keras.optimizers.SGD(0.1)
    steps = one_step(model, keras.optimizers.MultiOptimizer(
        lambda v: slow if id(v) in base_ids else fast), x, y)
    for v in model.weights:
        grad, change = steps[id(v)]
        if grad is None:
            assert not change.any()
        else:
            rate = 0.01 if id(v) in base_ids else 0.1
            # Exact SGD up to float32 rounding of the new weight (weights below 2 in size: at
            # most 6e-8 absolute), which rtol=1e-3 with atol=1e-7 allows on any CPU.
            assert np.allclose(change, -rate * grad, rtol=1e-3, atol=1e-7)


class TwoOptimizerTrainer(keras.Model):
    """Wraps a model; one gradient computation, applied by two optimizers, one per group."""

    def __init__(self, inner, base, slow, fast):
        super().__init__()
        self.inner = inner
        self.base_ids = {id(v) for v in base.weights}
        self.slow, self.fast = slow, fast

    def call(self, inputs, training=None):
        return self.inner(inputs, training=training)

    def train_step(self, batch):
        x, y = batch
        variables = self.inner.trainable_variables
        with tf.GradientTape() as tape:
            loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=True))
        grads = tape.gradient(loss, variables)
        pairs = list(zip(grads, variables))
        self.slow.apply_gradients([(g, v) for g, v in pairs if id(v) in self.base_ids])
        self.fast.apply_gradients([(g, v) for g, v in pairs if id(v) not in self.base_ids])
        return {"loss": loss}


def test_two_optimizers_in_a_custom_train_step_give_exact_per_group_sgd_steps():
    """Kata 21: a wrapping model whose train_step computes the gradients once
    and applies them with two SGD optimizers gives each group exactly its own step; a layer
    frozen beforehand stays bit-identical."""
    x, y = data()
    model, base = model_with_base()
    base_ids = {id(v) for v in base.weights}
    variables = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y, model(x, training=True))
    grads = {id(v): np.asarray(g) for v, g in zip(variables, tape.gradient(loss, variables))}
    before = {id(v): np.array(v.numpy(), copy=True) for v in model.weights}
    trainer = TwoOptimizerTrainer(model, base, keras.optimizers.SGD(0.01),
                                  keras.optimizers.SGD(0.1))
    trainer.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    trainer.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    for v in model.weights:
        change = v.numpy() - before[id(v)]
        if id(v) not in grads:
            assert not change.any()
        else:
            rate = 0.01 if id(v) in base_ids else 0.1
            # As above: float32 rounding of the new weight only.
            assert np.allclose(change, -rate * grads[id(v)], rtol=1e-3, atol=1e-7)


def test_where_the_bases_variables_are_not_found_by_path_or_trainable_weights():
    """Kata 21's lesson: a Sequential base's variable paths start with
    its name, a functional base's do not, so an OptimizerMap pattern "base/.*" misses the
    latter; a base frozen as a whole, with a layer unfrozen again, lists no trainable weights,
    while the outer model trains that layer."""
    keras.utils.set_random_seed(0)
    sequential = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="block_1")],
                                  name="base")
    assert sequential.get_layer("block_1").kernel.path == "base/block_1/kernel"
    inputs = keras.Input((4,))
    base = keras.Model(inputs, keras.layers.Dense(3, name="block_1")(inputs), name="base")
    outer_inputs = keras.Input((4,))
    model = keras.Model(outer_inputs, keras.layers.Dense(1, name="head")(base(outer_inputs)))
    kernel = base.get_layer("block_1").kernel
    assert kernel.path == "block_1/kernel"
    slow, fast = keras.optimizers.SGD(0.01), keras.optimizers.SGD(0.1)
    assert keras.optimizers.OptimizerMap(fast, {"base/.*": slow})(kernel) is fast
    base.trainable = False
    base.get_layer("block_1").trainable = True
    assert base.trainable_weights == []
    assert id(kernel) in {id(v) for v in model.trainable_weights}


def test_adams_first_step_is_its_learning_rate_whatever_the_gradient_scale():
    """Kata 21: Adam's first step moves each weight by about its learning
    rate, whatever the gradient's size, so scaling the gradients is not a learning rate."""
    x, y = data()
    sizes = []
    for scale in (1.0, 0.01):
        model, _ = model_with_base()
        variables = model.trainable_variables
        with tf.GradientTape() as tape:
            loss = keras.losses.MeanSquaredError()(y, model(x, training=True))
        grads = tape.gradient(loss, variables)
        before = [np.array(v.numpy(), copy=True) for v in variables]
        keras.optimizers.Adam(1e-2).apply_gradients([(g * scale, v) for g, v in zip(grads, variables)])
        for g, v, b in zip(grads, variables, before):
            clear = np.abs(np.asarray(g)) * scale > 1e-4
            change = np.abs(v.numpy() - b)[clear]
            # Adam's arithmetic, not a measurement: |g| / (|g| + eps) is within 1e-3 of 1 for
            # these gradients, and rounding the new weight adds at most 6e-8.
            assert np.allclose(change, 1e-2, rtol=0.05)
        sizes.append(np.abs(variables[0].numpy() - before[0]).mean())
    assert np.isclose(sizes[0], sizes[1], rtol=0.05)
