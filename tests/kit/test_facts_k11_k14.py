"""Behaviours of the installed Keras that katas 11-14 state, checked on every `make test`.

Frozen BatchNormalization, `training=False` overridden by fit(), the parent flag resetting its
children, the same-value no-op, the missing recompile and its retrace condition, "Unknown
variable" and the subclassed `training=False` leak: each lesson sentence of katas 11-14 that rests
on one of those is checked here in the kata's own setting, with what the lessons, hints, tests and
wrong answers of katas 11-14 add.
"""
import numpy as np
import pytest

from dojo.checks import agree

keras = pytest.importorskip("keras")

BN = keras.layers.BatchNormalization


def data(n=32, d=4, shift=0.0, seed=0):
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(n, d)) * 3 + shift).astype("float32")
    y = rng.normal(size=(n, 1)).astype("float32")
    return x, y


def functional_mlp():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,), name="input")
    h = keras.layers.Dense(8, activation="tanh", name="a")(inputs)
    h = keras.layers.Dropout(0.5, name="drop")(h)
    h = keras.layers.Dense(8, activation="tanh", name="b")(h)
    return keras.Model(inputs, keras.layers.Dense(1, name="out")(h))


def test_a_model_cut_at_a_layer_output_shares_the_layers_and_their_flags():
    """Kata 11: keras.Model(pretrained.input, layer.output) reuses the layer objects, so their
    variables; a new value assigned to a pretrained weight reaches it; freezing it freezes those
    layers in the pretrained model too; an unknown name makes get_layer raise ValueError; Dropout
    called outside training passes its input through."""
    pretrained = functional_mlp()
    cut = keras.Model(pretrained.input, pretrained.get_layer("b").output)
    assert cut.get_layer("a") is pretrained.get_layer("a")
    assert cut.get_layer("a").kernel is pretrained.get_layer("a").kernel
    x, _ = data()
    before = np.asarray(cut(x))
    kernel = pretrained.get_layer("a").kernel
    kernel.assign(np.asarray(kernel) * -0.5)
    assert not np.allclose(before, np.asarray(cut(x)))
    cut.trainable = False
    assert pretrained.get_layer("a").trainable is False
    assert pretrained.get_layer("out").trainable is True
    with pytest.raises(ValueError):
        pretrained.get_layer("no_such_layer")
    drop = pretrained.get_layer("drop")
    assert np.array_equal(np.asarray(drop(x)), x)
    at_dropout = keras.Model(pretrained.input, drop.output)  # a cut at a layer without weights
    assert agree(at_dropout(x), pretrained.get_layer("a")(x))


def test_a_sequential_of_shared_layers_runs_a_chain_but_an_add_needs_a_list():
    """Kata 11's statement and its wrong answer rebuilds_the_chain_of_layers: a Sequential made of
    a functional model's layers shares them and computes the same as a cut on a plain chain, but a
    merge layer such as Add cannot be chained: it raises ValueError on a single tensor."""
    pretrained = functional_mlp()
    chain = keras.Sequential([keras.Input((4,)), *pretrained.layers[1:4]])  # a, drop, b
    cut = keras.Model(pretrained.input, pretrained.get_layer("b").output)
    assert chain.get_layer("a") is pretrained.get_layer("a")
    x, _ = data()
    assert agree(chain(x), cut(x))
    with pytest.raises(ValueError):
        keras.layers.Add()(keras.Input((4,)))


def test_a_model_with_a_one_element_output_list_returns_a_list_on_a_keras_input():
    """Kata 11's test message: outputs=[tensor] gives a tensor on data but a list on keras.Input."""
    pretrained = functional_mlp()
    cut = keras.Model(pretrained.input, [pretrained.get_layer("b").output])
    assert isinstance(cut(keras.Input((4,))), list)


def test_a_sequential_base_never_called_has_no_output():
    """Kata 12's lesson: start from a new keras.Input; a fresh Sequential's `base.output` raises."""
    base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    assert base.input_shape == (None, 4)
    with pytest.raises(AttributeError):
        _ = base.output


def test_dropout_in_a_frozen_base_called_with_training_false_still_drops_during_fit():
    """Kata 12's lesson: `base(inputs, training=False)` in a functional model does not switch the
    base's Dropout off during fit(). With a learning rate of 0, fit()'s loss differs from
    evaluate()'s on the same single batch only because Dropout is active in fit()."""
    keras.utils.set_random_seed(0)
    base = keras.Sequential([keras.Input((4,)), keras.layers.Dropout(0.5)], name="base")
    base.trainable = False
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(1)(base(inputs, training=False)))
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    x, y = data()
    fit_loss = model.fit(x, y, batch_size=32, epochs=1, verbose=0, shuffle=False).history["loss"][0]
    eval_loss = model.evaluate(x, y, batch_size=32, verbose=0)
    assert not agree(fit_loss, eval_loss)  # more than round-off apart: Dropout was active


@pytest.mark.parametrize("training", [None, False, True])
def test_outside_fit_a_functional_model_runs_its_base_as_called_unless_told(training):
    """Kata 12: outside fit(), model(x) runs the base as the graph called it: in inference mode
    with training=False or no argument, in training mode (Dropout drops) with training=True;
    model.predict(x) and model(x, training=False) run it in inference mode in every case."""
    keras.utils.set_random_seed(0)
    base = keras.Sequential([keras.Input((4,)), keras.layers.Dropout(0.5)], name="base")
    base.trainable = False
    inputs = keras.Input((4,))
    features = base(inputs) if training is None else base(inputs, training=training)
    model = keras.Model(inputs, features)
    x, _ = data()
    assert np.array_equal(model.predict(x, verbose=0), x)
    assert np.array_equal(np.asarray(model(x, training=False)), x)
    assert np.array_equal(np.asarray(model(x)), x) is (training is not True)


def bn_model(prepare_bn):
    keras.utils.set_random_seed(0)
    bn = BN(name="bn")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, name="below"), bn,
                              keras.layers.Dense(1, name="above")])
    prepare_bn(bn)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    weights = {v.name: np.array(v.numpy()) for v in bn.weights}
    below = np.array(model.get_layer("below").kernel.numpy())
    model.fit(*data(shift=5.0), epochs=1, batch_size=8, verbose=0)
    moved = {v.name: not np.array_equal(weights[v.name], v.numpy()) for v in bn.weights}
    return moved, not np.array_equal(below, model.get_layer("below").kernel.numpy())


def freeze(bn):
    bn.trainable = False


def freeze_variables(bn):
    for variable in bn.weights:
        variable.trainable = False


def momentum_one(bn):
    bn.momentum = 1.0


def test_frozen_batchnorm_still_passes_gradients_to_the_layers_below():
    """Kata 13's lesson: every BN weight stays, and the Dense layer below it still learns."""
    moved, below_moved = bn_model(freeze)
    assert not any(moved.values()) and below_moved


def test_freezing_batchnorm_variables_but_not_the_layer_keeps_the_statistics_moving():
    """Wrong answers of katas 12 and 13: `variable.trainable = False` on BN's weights stops the
    gradients, but the layer stays in training mode and fit() updates its moving statistics."""
    moved, _ = bn_model(freeze_variables)
    assert moved == {"gamma": False, "beta": False, "moving_mean": True, "moving_variance": True}


def test_batchnorm_momentum_one_keeps_the_statistics_but_gamma_and_beta_train():
    """A wrong answer of kata 13: momentum = 1.0 is not a freeze."""
    moved, _ = bn_model(momentum_one)
    assert moved == {"gamma": True, "beta": True, "moving_mean": False, "moving_variance": False}


def test_batchnorm_forced_into_inference_mode_still_trains_gamma_and_beta():
    """Kata 13's lesson ("inference mode alone is not frozen") and its wrong answer
    forces_training_false: a BN call always made with training=False keeps the moving statistics,
    but gamma and beta still receive gradients and move."""
    def force_inference(bn):
        original = bn.call

        def call(inputs, training=None, mask=None):
            return original(inputs, training=False, mask=mask)

        bn.call = call

    moved, below_moved = bn_model(force_inference)
    assert moved == {"gamma": True, "beta": True, "moving_mean": False, "moving_variance": False}
    assert below_moved


# --- kata 12 ----------------------------------------------------------------------------------


class SubclassedTransfer(keras.Model):
    """The keras.io recipe in a subclassed call(): the base run with training=False."""

    def __init__(self, head_dropout, pass_training):
        super().__init__()
        self.base = keras.Sequential([keras.Input((4,)), keras.layers.Dropout(0.5)], name="base")
        self.dropout = keras.layers.Dropout(0.5) if head_dropout else None
        self.out = keras.layers.Dense(1)
        self.pass_training = pass_training

    def call(self, inputs, training=None):
        h = self.base(inputs, training=False)
        if self.dropout is not None:
            h = self.dropout(h, training=training) if self.pass_training else self.dropout(h)
        return self.out(h)


@pytest.mark.parametrize("head_dropout, pass_training, drops_in_fit", [
    (False, False, False),  # the base's Dropout obeys training=False
    (True, False, False),   # and so does a head Dropout called without `training`: the leak
    (True, True, True),     # training=training gives the head Dropout its training mode back
])
def test_a_subclassed_calls_training_false_holds_for_the_later_layers(head_dropout, pass_training,
                                                                      drops_in_fit):
    """Kata 12's lesson, "Subclassed models": in a subclassed
    call(), `self.base(x, training=False)` is obeyed, and stays in force for a later layer called
    without `training`, during fit() too. With a learning rate of 0, fit()'s loss differs from
    evaluate()'s on the same single batch only if some Dropout drops during fit()."""
    keras.utils.set_random_seed(0)
    model = SubclassedTransfer(head_dropout, pass_training)
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    x, y = data()
    fit_loss = model.fit(x, y, batch_size=32, epochs=1, verbose=0, shuffle=False).history["loss"][0]
    eval_loss = model.evaluate(x, y, batch_size=32, verbose=0)
    assert (not agree(fit_loss, eval_loss)) is drops_in_fit


def test_accuracy_counts_the_most_probable_class_and_categorical_accuracy_does_not():
    """Kata 12's test and its wrong answer reports_categorical_accuracy: with integer labels,
    metrics=["accuracy"] reports the fraction of samples whose most probable class is the label;
    "categorical_accuracy", meant for one-hot labels, reports another number."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(inputs))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy", "categorical_accuracy"])
    x, _ = data()
    labels = np.random.default_rng(1).integers(0, 3, size=len(x))
    results = model.evaluate(x, labels, verbose=0, return_dict=True)
    truth = float(np.mean(np.argmax(model.predict(x, verbose=0), axis=1) == labels))
    assert agree(results["accuracy"], truth)
    assert not agree(results["categorical_accuracy"], truth)


# --- kata 13 ----------------------------------------------------------------------------------


def test_sequential_and_functional_models_are_both_keras_models():
    """Kata 13's and kata 14's statements: a nested base built either way is a keras.Model, and
    only one of them is a keras.Sequential (the wrong answers recurses_only_into_sequential)."""
    sequential = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    inputs = keras.Input((4,))
    functional = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    assert isinstance(sequential, keras.Model) and isinstance(functional, keras.Model)
    assert not isinstance(functional, keras.Sequential)


@pytest.mark.parametrize("batch_size, moves", [(8, True), (16, False)])
def test_a_late_batchnorm_freeze_is_ignored_until_fit_traces_again(batch_size, moves):
    """Kata 13's lesson: freezing a BatchNormalization layer
    after a fit() without a recompile is ignored while the next fit() reuses its traced function
    (same batch size: all four weights still move); a new batch size traces again, and the freeze
    then takes effect (none moves)."""
    keras.utils.set_random_seed(0)
    bn = BN(name="bn")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4), bn, keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    x, y = data(shift=5.0)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    bn.trainable = False
    before = [np.array(v.numpy()) for v in bn.weights]
    model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)
    moved = [not np.array_equal(b, v.numpy()) for b, v in zip(before, bn.weights)]
    assert moved == [moves] * 4


# --- kata 14 ----------------------------------------------------------------------------------


def base_with_batchnorm():
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, name="d1"), BN(name="bn"),
                             keras.layers.Dense(4, name="d2")], name="base")


def trained_with_a_frozen_base(base, metrics=None):
    """Kata 14's starting point: the keras.io recipe, trained once with the base frozen."""
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(base(inputs, training=False)))
    base.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse", metrics=metrics)
    model.fit(*data(shift=5.0), epochs=1, batch_size=8, verbose=0)
    return model


def test_true_on_a_base_whose_flag_is_true_unfreezes_nothing_on_tensorflow():
    """Kata 14's statement and hint: on the TensorFlow backend, assigning
    the value the flag already has is a no-op, so `base.trainable = True` on a base frozen layer
    by layer unfreezes none of its layers; False then True does."""
    assert keras.backend.backend() == "tensorflow"
    base = base_with_batchnorm()
    for layer in base.layers:
        layer.trainable = False
    base.trainable = True
    assert [layer.trainable for layer in base.layers] == [False, False, False]
    base.trainable = False
    base.trainable = True
    assert [layer.trainable for layer in base.layers] == [True, True, True]


def test_training_false_does_not_keep_an_unfrozen_batchnorm_in_inference_mode():
    """Kata 14's lesson: once the base is unfrozen and the model compiled
    again, `base(inputs, training=False)` in a functional model does not stop fit() from training
    gamma and beta and updating the moving statistics."""
    base = base_with_batchnorm()
    model = trained_with_a_frozen_base(base)
    base.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    bn = base.get_layer("bn")
    before = [np.array(v.numpy()) for v in bn.weights]
    model.fit(*data(shift=5.0), epochs=1, batch_size=8, verbose=0)
    assert all(not np.array_equal(b, v.numpy()) for b, v in zip(before, bn.weights))


@pytest.mark.parametrize("batch_size", [8, 16])
def test_an_unfreeze_without_a_recompile_is_ignored_or_fails_when_fit_traces_again(batch_size):
    """Kata 14's statement: after an unfreeze without a recompile,
    a fit() with the same batch size reuses its traced function and leaves the base as it was; a
    fit() with a new batch size traces again and fails with "Unknown variable"."""
    base = base_with_batchnorm()
    model = trained_with_a_frozen_base(base)
    base.trainable = True
    kernel = np.array(base.get_layer("d1").kernel.numpy())
    if batch_size == 8:
        model.fit(*data(shift=5.0), epochs=1, batch_size=batch_size, verbose=0)
        assert np.array_equal(kernel, base.get_layer("d1").kernel.numpy())
    else:
        with pytest.raises(ValueError, match="Unknown variable"):
            model.fit(*data(shift=5.0), epochs=1, batch_size=batch_size, verbose=0)


def test_recompiling_with_the_old_optimizer_after_an_unfreeze_fails_with_unknown_variable():
    """Kata 14's statement and its wrong answers reuses_the_old_optimizer and
    builds_the_optimizer_on_the_head: an optimizer built for the head's
    variables cannot update the base's."""
    base = base_with_batchnorm()
    model = trained_with_a_frozen_base(base)
    base.trainable = True
    model.compile(optimizer=model.optimizer, loss=model.loss)
    with pytest.raises(ValueError, match="Unknown variable"):
        model.fit(*data(shift=5.0), epochs=1, batch_size=8, verbose=0)


# How a model is compiled with a metric, and the name fit() reports it by.
METRICS = {"strings": (lambda: ["mae"], "mae"),
           "objects": (lambda: [keras.metrics.MeanAbsoluteError(name="abs_error")], "abs_error")}


def reloaded(model, tmp_path):
    path = tmp_path / "model.keras"
    model.save(path)
    return keras.models.load_model(path)


@pytest.mark.parametrize("kind", sorted(METRICS))
def test_compile_without_metrics_drops_them_from_the_config_but_not_from_fit(kind, tmp_path):
    """Kata 14's statement and its wrong answer drops_the_metrics: compile() given no metrics
    keeps the previous metrics object, so fit() still reports the metric; but the compile config,
    which model.save() stores, says metrics=None, and the reloaded model reports none."""
    base = base_with_batchnorm()
    make_metrics, name = METRICS[kind]
    model = trained_with_a_frozen_base(base, metrics=make_metrics())
    assert name in model.history.history
    base.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=model.loss)
    x, y = data(shift=5.0)
    assert name in model.fit(x, y, epochs=1, batch_size=8, verbose=0).history
    assert model.get_compile_config()["metrics"] is None
    assert list(reloaded(model, tmp_path).evaluate(x, y, verbose=0, return_dict=True)) == ["loss"]


@pytest.mark.parametrize("kind", sorted(METRICS))
def test_metrics_deserialized_from_the_compile_config_are_kept_everywhere(kind, tmp_path):
    """Kata 14's solution: `keras.saving.deserialize_keras_object(
    model.get_compile_config()["metrics"])` gives the metrics back as compile() takes them
    (a string stays a string, a metric object's dict becomes a new metric object); compiled with
    them, the model reports them in fit(), keeps them in its compile config, and reloads with
    them."""
    base = base_with_batchnorm()
    make_metrics, name = METRICS[kind]
    model = trained_with_a_frozen_base(base, metrics=make_metrics())
    old = model.get_compile_config()["metrics"]
    metrics = keras.saving.deserialize_keras_object(old)
    if kind == "strings":
        assert old == metrics == ["mae"]
    else:
        assert isinstance(old[0], dict) and isinstance(metrics[0], keras.metrics.MeanAbsoluteError)
    base.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=model.loss, metrics=metrics)
    x, y = data(shift=5.0)
    assert name in model.fit(x, y, epochs=1, batch_size=8, verbose=0).history
    assert model.get_compile_config()["metrics"] == old
    assert name in reloaded(model, tmp_path).evaluate(x, y, verbose=0, return_dict=True)


def test_a_loss_rebuilt_from_the_compile_config_can_lose_an_argument():
    """Kata 14's statement and its wrong answer rebuilds_the_loss_from_the_compile_config: the
    loss comes from `model.loss`, the object compile() was given; rebuilt from the compile config,
    `Huber(delta=0.5)` comes back with Huber's default delta of 1.0 on this Keras."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    huber = keras.losses.Huber(delta=0.5)
    model.compile(optimizer="adam", loss=huber, metrics=["mae"])
    assert model.loss is huber
    rebuilt = keras.saving.deserialize_keras_object(model.get_compile_config()["loss"])
    y_true, y_pred = np.zeros((4, 1), "float32"), np.full((4, 1), 2.0, "float32")
    assert agree(huber(y_true, y_pred), 0.5 * 2.0 - 0.5 * 0.5 ** 2)  # 0.875, delta 0.5
    assert agree(rebuilt(y_true, y_pred), 1.0 * 2.0 - 0.5 * 1.0 ** 2)  # 1.5, delta 1.0
