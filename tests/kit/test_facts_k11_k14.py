"""Behaviours of the installed Keras that katas 11-14 state, beyond the keras-facts table.

The table (../keras-facts) already covers frozen BatchNormalization (row 11), `training=False`
overridden by fit() (row 12), the parent flag resetting its children (row 3), the no-op assignment
(row 26), the missing recompile (row 6) and "Unknown variable" (row 9). The checks below cover what
the lessons, hints, tests and wrong answers of katas 11-14 add to it.
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
