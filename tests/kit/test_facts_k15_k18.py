"""Behaviours of the installed Keras that katas 15-18 state, checked on every `make test`.

Each is checked here in the exact form the lessons, hints and wrong answers use. If a Keras upgrade changes one of them, this file fails and the kata that
states it must change too.
"""
import warnings

import numpy as np
import pytest

from dojo.checks import agree, same_float32

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")


def data(n=64, seed=0):
    """Inputs with a mean far from 0, so BatchNormalization statistics visibly move."""
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(n, 4)) * 3 + 5).astype("float32")
    return x, np.tanh(x @ rng.normal(size=(4, 1)) / 8).astype("float32")


def model_with_base():
    """Input -> base (base_dense, base_bn) -> head, every layer trainable."""
    keras.utils.set_random_seed(0)
    base = keras.Sequential([keras.Input((4,)),
                             keras.layers.Dense(8, activation="tanh", name="base_dense"),
                             keras.layers.BatchNormalization(name="base_bn")], name="base")
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(base(inputs)))
    return model, base


def trained_once(model):
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(*data(), epochs=1, batch_size=16, verbose=0)  # traces the train function
    return model


def values(layer):
    return [np.array(v.numpy(), copy=True) for v in layer.weights]


def moved(before, layer):
    return any(not np.array_equal(a, v.numpy()) for a, v in zip(before, layer.weights))


def fit_again(model):
    model.fit(*data(seed=1), epochs=1, batch_size=16, verbose=0)


def test_freezing_after_a_traced_fit_is_ignored_batch_norm_included():
    """Kata 15's bug: the base keeps training, BN statistics too."""
    model, base = model_with_base()
    trained_once(model)
    base.trainable = False
    dense, bn = values(base.get_layer("base_dense")), values(base.get_layer("base_bn"))
    fit_again(model)
    assert moved(dense, base.get_layer("base_dense")) and moved(bn, base.get_layer("base_bn"))


def test_a_late_freeze_warns_nothing_and_eager_mode_hides_it():
    """Kata 15's bug report and its eager-mode messages: the fit()
    after a late freeze gives no warning at all; a model compiled with run_eagerly=True has no
    traced step to reuse, so there a late freeze takes effect without a recompile."""
    model, base = model_with_base()
    trained_once(model)
    base.trainable = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit_again(model)
    assert [str(w.message) for w in caught] == []

    model, base = model_with_base()
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse", run_eagerly=True)
    model.fit(*data(), epochs=1, batch_size=16, verbose=0)
    base.trainable = False
    before = values(base)
    fit_again(model)
    assert not moved(before, base)


@pytest.mark.parametrize("fix", ["freeze_then_compile", "compile_then_freeze", "force_retrace"])
def test_each_fix_of_a_late_freeze_keeps_the_base_and_its_statistics(fix):
    """Kata 15 accepts these fixes. compile() discards the traced function, so a flag changed after
    compile() but before the next fit() counts too, even on a model trained before; and
    make_train_function(force=True) retraces, BatchNormalization's inference mode included.
    Reusing the optimizer when freezing more works and keeps its state."""
    model, base = model_with_base()
    trained_once(model)
    optimizer = model.optimizer
    steps_before = int(optimizer.iterations.numpy())
    if fix == "freeze_then_compile":
        base.trainable = False
        model.compile(optimizer=optimizer, loss=model.loss)
    elif fix == "compile_then_freeze":
        model.compile(optimizer=optimizer, loss=model.loss)
        base.trainable = False
    else:
        base.trainable = False
        model.make_train_function(force=True)
    snapshot = values(base)
    head = values(model.get_layer("head"))
    fit_again(model)
    assert not moved(snapshot, base)
    assert moved(head, model.get_layer("head"))
    assert model.optimizer is optimizer and int(optimizer.iterations.numpy()) > steps_before


def test_a_late_freeze_is_ignored_only_while_fit_reuses_its_traced_step():
    """Kata 15's lesson, hints and batch-size message: at the batch
    size of the first fit() the traced step is reused and the late freeze is ignored; a new batch
    size traces a new step, which picks the freeze up (BatchNormalization's inference mode
    included). A late UNfreeze is ignored at the same batch size and, at a new one, meets a
    variable the optimizer was not built for: ValueError "Unknown variable". fit()'s default batch
    size is 32."""
    x, y = data(64)
    for batch_size, ignored in ((16, True), (32, False)):
        model, base = model_with_base()
        trained_once(model)  # batch_size=16
        base.trainable = False
        bn = base.get_layer("base_bn")
        snapshot, statistics = values(base), values(bn)[2:]  # moving_mean, moving_variance
        model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)
        assert moved(snapshot, base) is ignored
        stats_moved = any(not np.array_equal(a, b) for a, b in zip(statistics, values(bn)[2:]))
        assert stats_moved is ignored
    assert model.fit(x, y, epochs=1, verbose=0).params["steps"] == 64 // 32  # the default: 32

    for batch_size in (16, 32):
        model, base = model_with_base()
        base.trainable = False
        trained_once(model)  # the optimizer is built for the head only
        base.trainable = True
        snapshot = values(base.get_layer("base_dense"))
        if batch_size == 16:
            fit_again(model)
            assert not moved(snapshot, base.get_layer("base_dense"))
        else:
            with pytest.raises(ValueError, match="Unknown variable"):
                model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)


def test_an_optimizer_built_on_every_variable_survives_a_freeze_and_a_later_unfreeze():
    """Kata 15's lesson and hint 3: what an optimizer needs is that the
    variables it trains are among those it was built on, so one built while every layer was
    trainable can be recompiled in after a freeze and again after a later unfreeze. Its moments
    for the frozen layer stay as they were during the freeze, and carry over to the unfreeze."""
    model, base = model_with_base()
    trained_once(model)
    optimizer = model.optimizer
    momentum = next(v for v in optimizer.variables if v.path.endswith("base_dense_kernel_momentum"))
    dense = base.get_layer("base_dense")

    base.trainable = False
    model.compile(optimizer=optimizer, loss="mse")
    stale, kernel = momentum.numpy().copy(), values(dense)
    fit_again(model)
    assert not moved(kernel, dense) and np.array_equal(stale, momentum.numpy())
    assert np.any(stale != 0)

    base.trainable = True
    model.compile(optimizer=optimizer, loss="mse")
    assert np.array_equal(stale, momentum.numpy())  # recompiling does not reset the moments
    fit_again(model)
    assert moved(kernel, dense) and not np.array_equal(stale, momentum.numpy())
    assert model.optimizer is optimizer


@pytest.mark.parametrize("attempt", ["make_train_function", "run_eagerly_attribute"])
def test_attempts_that_do_not_retrace_leave_the_late_freeze_ignored(attempt):
    """Kata 15's wrong answers: make_train_function() without force=True returns the function it
    already has, and setting model.run_eagerly = True after a traced fit does not stop fit() from
    reusing it."""
    model, base = model_with_base()
    trained_once(model)
    base.trainable = False
    if attempt == "make_train_function":
        model.make_train_function()
    else:
        model.run_eagerly = True
    snapshot = values(base.get_layer("base_dense"))
    fit_again(model)
    assert moved(snapshot, base.get_layer("base_dense"))


def test_freezing_the_variables_of_a_batch_norm_layer_leaves_it_in_training_mode():
    """Kata 15 (wrong answer freezes_the_variables_not_the_layer): variable.trainable = False keeps
    the variables out of the optimizer's reach, but BatchNormalization reads its LAYER flag to pick
    its mode, so its moving statistics keep moving even after a recompile."""
    model, base = model_with_base()
    trained_once(model)
    bn = base.get_layer("base_bn")
    for variable in base.weights:
        variable.trainable = False
    model.compile(optimizer=model.optimizer, loss=model.loss)
    kernel = values(base.get_layer("base_dense"))
    gamma, beta, mean, variance = values(bn)
    fit_again(model)
    assert not moved(kernel, base.get_layer("base_dense"))
    assert np.array_equal(gamma, bn.gamma.numpy()) and np.array_equal(beta, bn.beta.numpy())
    assert not np.array_equal(mean, bn.moving_mean.numpy())


def test_summary_counts_a_late_freeze_before_any_recompile():
    """Kata 15's bug report: after the late freeze, model.summary() already counts the layer's
    weights as non-trainable, although fit() still trains them."""
    model, base = model_with_base()
    trained_once(model)
    base.trainable = False
    lines = []
    model.summary(print_fn=lambda line, **kwargs: lines.append(line))
    frozen = sum(int(np.prod(v.shape)) for v in base.weights)
    assert f"Non-trainable params: {frozen}" in "\n".join(lines)


def test_a_learning_rate_variable_converts_with_float_but_is_no_learning_rate_argument():
    """Kata 15's hints: a new optimizer gets the old rate as float(model.optimizer.learning_rate);
    passing the variable itself to a new optimizer raises ValueError."""
    optimizer = keras.optimizers.Adam(1e-2)
    assert same_float32(optimizer.learning_rate, 1e-2)
    with pytest.raises(ValueError):
        keras.optimizers.Adam(learning_rate=optimizer.learning_rate)


def test_training_false_does_not_protect_batch_norm_once_the_base_is_unfrozen():
    """Kata 16's wrong answer trusts_training_false_for_batchnorm, and the
    fix the kata teaches: bn.trainable = False after unfreezing."""
    for freeze_bn in (False, True):
        keras.utils.set_random_seed(0)
        base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, name="base_dense"),
                                 keras.layers.BatchNormalization(name="base_bn")], name="base")
        inputs = keras.Input((4,))
        model = keras.Model(inputs, keras.layers.Dense(1)(base(inputs, training=False)))
        base.trainable = True
        bn = base.get_layer("base_bn")
        bn.trainable = not freeze_bn
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
        before = values(bn)
        fit_again(model)
        assert moved(before, bn) is (not freeze_bn)


def test_the_phase_1_optimizer_recompiled_in_after_an_unfreeze_raises_unknown_variable():
    """Kata 16's lesson and its wrong answer reuses_phase_1_optimizer: an
    optimizer built while only the head was trainable, recompiled in after the base is unfrozen,
    makes fit() raise ValueError "Unknown variable"; a new optimizer trains the base."""
    model, base = model_with_base()
    base.trainable = False
    trained_once(model)
    base.trainable = True
    model.compile(optimizer=model.optimizer, loss="mse")
    with pytest.raises(ValueError, match="Unknown variable"):
        fit_again(model)
    model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="mse")
    before = values(base.get_layer("base_dense"))
    fit_again(model)
    assert moved(before, base.get_layer("base_dense"))


class BaseInInferenceMode(keras.Model):
    """A subclassed model whose call() runs its base with training=False, then a head Dropout,
    given `training=training` or no training argument at all."""

    def __init__(self, base, pass_training):
        super().__init__()
        self.base = base
        self.dropout = keras.layers.Dropout(0.5)
        self.out = keras.layers.Dense(1)
        self.pass_training = pass_training

    def call(self, x, training=None):
        h = self.base(x, training=False)
        h = self.dropout(h, training=training) if self.pass_training else self.dropout(h)
        return self.out(h)


@pytest.mark.parametrize("pass_training", [False, True])
def test_training_false_in_a_subclassed_call_leaks_to_later_layers(pass_training):
    """Katas 16 and 18: in a subclassed call(), base(x,
    training=False) keeps the base's BatchNormalization in inference mode during fit(), although
    the base is trainable; and the explicit False reaches every later layer of that call() that is
    given no training argument: a head Dropout then never drops in fit(). Passed
    training=training, it drops. With a learning rate of 0 nothing moves, so fit()'s loss equals
    evaluate()'s exactly when fit() ran the head in inference mode."""
    keras.utils.set_random_seed(0)
    base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, name="base_dense"),
                             keras.layers.BatchNormalization(name="base_bn")], name="base")
    model = BaseInInferenceMode(base, pass_training)
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    x, y = data(64)
    model(x[:1])  # builds the model
    bn = base.get_layer("base_bn")
    statistics = values(bn)[2:]
    fit_loss = model.fit(x, y, epochs=1, batch_size=64, verbose=0).history["loss"][0]
    evaluate_loss = model.evaluate(x, y, batch_size=64, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(statistics, values(bn)[2:]))
    assert base.trainable and bn.trainable
    if pass_training:
        assert abs(fit_loss - evaluate_loss) > 1e-3 * abs(evaluate_loss)
    else:
        assert agree(fit_loss, evaluate_loss)


def test_one_training_call_moves_batch_norm_statistics_once_with_momentum_0_99():
    """Kata 17's test message: a trainable BatchNormalization called with training=True updates
    moving_mean = moving_mean * 0.99 + batch mean * 0.01, once per call."""
    bn = keras.layers.BatchNormalization()
    x, _ = data()
    bn.build(x.shape)
    assert bn.momentum == 0.99
    start = np.asarray(bn.moving_mean.numpy(), dtype="float64")
    bn(x, training=True)
    once = 0.99 * start + 0.01 * x.mean(axis=0, dtype="float64")
    assert agree(bn.moving_mean.numpy(), once)
    bn(x, training=True)
    assert not agree(bn.moving_mean.numpy(), once)


def test_a_gradient_tape_step_respects_freezing_only_over_trainable_variables():
    """Kata 17: the tape differentiates frozen variables as readily as any
    other; model.trainable_variables leaves out frozen layers, nested ones too. A new optimizer
    builds itself on its first apply_gradients and counts one iteration per call."""
    for variables_of in ("trainable_variables", "weights"):
        model, base = model_with_base()
        base.trainable = False
        optimizer = keras.optimizers.Adam(1e-2)
        x, y = data()
        before = values(base.get_layer("base_dense"))
        with tf.GradientTape() as tape:
            loss = keras.losses.MeanSquaredError()(y, model(x, training=True))
        variables = getattr(model, variables_of)
        with warnings.catch_warnings():
            # "Gradients do not exist for variables [...moving_mean...]": the BN statistics
            warnings.simplefilter("ignore", UserWarning)
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        assert moved(before, base.get_layer("base_dense")) is (variables_of == "weights")
        assert int(optimizer.iterations.numpy()) == 1


def test_a_model_called_outside_the_tape_gives_no_gradients():
    """Kata 17's wrong answer calls_the_model_outside_the_tape: apply_gradients raises
    'No gradients provided for any variable'."""
    model, _ = model_with_base()
    x, y = data()
    predictions = model(x, training=True)
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    assert all(g is None for g in gradients)
    with pytest.raises(ValueError, match="No gradients provided"):
        keras.optimizers.SGD(0.1).apply_gradients(zip(gradients, model.trainable_variables))


def test_modes_of_dropout_and_batch_norm_in_direct_calls():
    """Katas 17 and 18. A frozen Dropout still drops with training=True; with
    training=False, or with no training argument in a direct call, it passes inputs through. A
    trainable BatchNormalization called with training=True updates its moving statistics; called
    with no training argument it runs in inference mode and does not; a frozen one runs in
    inference mode even with training=True. A model called as model(x) is in inference
    mode too."""
    ones = np.ones((8, 100), "float32")
    dropout = keras.layers.Dropout(0.5, seed=1)
    dropout.trainable = False
    dropped = keras.ops.convert_to_numpy(dropout(ones, training=True))
    assert (dropped == 0).any() and np.allclose(dropped[dropped != 0], 2.0)  # kept ones / (1 - rate)
    assert np.array_equal(keras.ops.convert_to_numpy(dropout(ones, training=False)), ones)
    assert np.array_equal(keras.ops.convert_to_numpy(dropout(ones)), ones)

    x, _ = data()
    for trainable, training, stats_move in [(True, True, True), (True, None, False),
                                            (False, True, False)]:
        bn = keras.layers.BatchNormalization()
        bn.build((None, 4))
        bn.trainable = trainable
        before = values(bn)
        out = keras.ops.convert_to_numpy(bn(x, training=training))
        assert moved(before, bn) is stats_move
        if training is None or not trainable:
            assert agree(out, keras.ops.convert_to_numpy(bn(x, training=False)))

    # The same through a whole model called without a training argument: inference mode.
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.BatchNormalization(name="bn"),
                              keras.layers.Dropout(0.5), keras.layers.Dense(1)])
    before = values(model.get_layer("bn"))
    out = keras.ops.convert_to_numpy(model(x))
    assert not moved(before, model.get_layer("bn"))
    assert np.array_equal(out, keras.ops.convert_to_numpy(model(x, training=False)))


def test_predict_runs_a_base_in_inference_mode():
    """Kata 18: base.predict(x) equals base(x, training=False), call after call, and leaves
    BatchNormalization statistics alone, whether the base is trainable or not."""
    keras.utils.set_random_seed(0)
    base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, name="dense"),
                             keras.layers.BatchNormalization(name="bn"),
                             keras.layers.Dropout(0.5, name="dropout")], name="base")
    x, _ = data(64)
    for trainable in (True, False):
        base.trainable = trainable
        before = values(base.get_layer("bn"))
        first, second = base.predict(x, verbose=0), base.predict(x, verbose=0)
        assert isinstance(first, np.ndarray) and np.array_equal(first, second)
        assert agree(first, keras.ops.convert_to_numpy(base(x, training=False)))
        assert not moved(before, base.get_layer("bn"))


def test_freezing_a_base_and_back_unfreezes_a_layer_that_arrived_frozen():
    """Kata 18's statement, hint 2 and its wrong answer freezes_for_the_call_and_restores_the_flag
   : base.trainable = False then True makes every layer of the base trainable,
    one that was frozen on its own before included."""
    _, base = model_with_base()
    base.get_layer("base_dense").trainable = False
    assert base.trainable
    base.trainable = False
    base.trainable = True
    assert base.get_layer("base_dense").trainable
