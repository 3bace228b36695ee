"""Keras behaviours that katas 22 (gradual unfreezing) and 23 (save and restore the freeze state)
state or rely on, checked on the installed Keras.

Each is checked here in the exact shape the katas use it.
"""
import numpy as np
import pytest

keras = pytest.importorskip("keras")


def data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x * 3 + 5, np.tanh(x[:, :1]).astype("float32")


def nested_model():
    """Input -> Sequential 'base' (Dense 'b1', BatchNormalization 'bn', Dense 'b2') -> Dense."""
    keras.utils.set_random_seed(0)
    base = keras.Sequential([keras.Input((4,)),
                             keras.layers.Dense(4, activation="tanh", name="b1"),
                             keras.layers.BatchNormalization(name="bn"),
                             keras.layers.Dense(4, activation="tanh", name="b2")], name="base")
    inputs = keras.Input((4,), name="pixels")
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(base(inputs)), name="outer")
    return model, base


def copies(layer):
    return [np.array(v.numpy(), copy=True) for v in layer.weights]


def moved(before, layer):
    return any(not np.array_equal(a, v.numpy()) for a, v in zip(before, layer.weights))


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_begin(self, logs=None):
        self.seen.append((self.model.optimizer, int(np.asarray(self.model.optimizer.iterations))))


def test_staged_fits_with_a_recompile_each_unfreeze_one_layer_at_a_time():
    """Kata 22: one fit() per stage, each after compile() with a new Adam,
    trains exactly the layers unfrozen so far; a frozen BatchNormalization stays bit-identical,
    moving statistics included, on data whose mean is far from 0. Each fit() returns a
    new History object, and a callback's on_train_begin sees the new optimizer at 0 iterations."""
    model, base = nested_model()
    base.trainable = False
    model.compile(optimizer="adam", loss="mse")
    x, y = data()
    base.trainable = True
    for layer in base.layers:
        layer.trainable = False
    recorder, histories, moves = Recorder(), [], []
    for layer in (base.get_layer("b2"), base.get_layer("b1")):
        layer.trainable = True
        model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
        before = {name: copies(base.get_layer(name)) for name in ("b1", "bn", "b2")}
        histories.append(model.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[recorder]))
        moves.append([moved(before[name], base.get_layer(name)) for name in ("b1", "bn", "b2")])
    assert moves == [[False, False, True], [True, False, True]]
    assert histories[0] is not histories[1]
    assert [iterations for _, iterations in recorder.seen] == [0, 0]
    assert recorder.seen[0][0] is not recorder.seen[1][0]


def test_unfreezing_from_a_callback_inside_one_fit_trains_nothing_new():
    """Kata 22's wrong answer `unfreezes_in_a_callback`: the layer a callback
    unfreezes at the start of epoch 2 never moves in that fit()."""
    model, base = nested_model()
    base.trainable = True
    for layer in base.layers:
        layer.trainable = False
    base.get_layer("b2").trainable = True
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")

    class Unfreeze(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 1:
                base.get_layer("b1").trainable = True

    before = copies(base.get_layer("b1"))
    model.fit(*data(), epochs=2, batch_size=16, verbose=0, callbacks=[Unfreeze()])
    assert base.get_layer("b1").trainable is True
    assert not moved(before, base.get_layer("b1"))


def test_a_late_unfreeze_is_ignored_until_a_retrace_which_raises_unknown_variable():
    """Kata 22's lesson: after a fit(), a layer unfrozen without a
    recompile stays put while fit() reuses its traced step (same batch size), with no error; a
    fit() with another batch size retraces and raises "Unknown variable". Recompiling with the
    same, already built optimizer raises it too; with a new Adam the layer trains."""
    model, base = nested_model()
    base.get_layer("b1").trainable = False
    optimizer = keras.optimizers.Adam(1e-2)
    model.compile(optimizer=optimizer, loss="mse")
    x, y = data()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    b1 = base.get_layer("b1")
    b1.trainable = True
    before = copies(b1)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert not moved(before, b1)
    with pytest.raises(ValueError, match="Unknown variable"):
        model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    model.compile(optimizer=optimizer, loss="mse")
    with pytest.raises(ValueError, match="Unknown variable"):
        model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert moved(before, b1)


def test_a_frozen_batchnormalization_layer_runs_in_inference_mode():
    """Kata 22's lesson: with trainable = False, BatchNormalization called
    with training=True gives its training=False output, from its moving statistics."""
    keras.utils.set_random_seed(0)
    bn = keras.layers.BatchNormalization()
    x, _ = data()
    bn(x, training=True)  # builds it
    bn.trainable = False
    assert np.array_equal(np.asarray(bn(x, training=True)), np.asarray(bn(x, training=False)))
    bn.trainable = True
    assert not np.allclose(np.asarray(bn(x, training=True)), np.asarray(bn(x, training=False)))


def test_reload_keeps_layer_names_but_nested_variable_paths_lose_the_model_prefix(tmp_path):
    """Kata 23's lesson: layer names, nested models'
    names included, come back from a .keras file, so "base/b1" still finds the layer; the
    variable paths of the nested base lose their "base/" prefix, so keys made of variable paths
    no longer match."""
    model, base = nested_model()
    assert base.get_layer("b1").kernel.path == "base/b1/kernel"
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    assert [layer.name for layer in reloaded.layers] == ["pixels", "base", "head"]
    assert [layer.name for layer in reloaded.get_layer("base").layers] == ["b1", "bn", "b2"]
    assert reloaded.get_layer("base").get_layer("b1").kernel.path == "b1/kernel"
    assert reloaded.get_layer("head").kernel.path == "head/kernel"


def test_a_model_saved_frozen_keeps_its_base_frozen_after_model_trainable_true(tmp_path):
    """Kata 23: reloading a functional model saved with model.trainable = False gives
    model.trainable False and the nested Sequential base's flag True (a Sequential's own
    flag is not saved) with every base layer False. `model.trainable = True` then propagates to
    the base, where it is a no-op on the TensorFlow backend, so the base's layers stay
    frozen, even after a False-then-True toggle of the model: only setting each leaf layer brings
    them back (kata 23's wrong answer `unfreezes_all_then_freezes_the_false_ones`). Individually
    frozen layers keep their flag through the file."""
    model, base = nested_model()
    base.get_layer("b1").trainable = False
    model.save(tmp_path / "plan.keras")
    reloaded = keras.models.load_model(tmp_path / "plan.keras")
    rbase = reloaded.get_layer("base")
    assert [layer.trainable for layer in rbase.layers] == [False, True, True]

    model.trainable = False
    model.save(tmp_path / "frozen.keras")
    reloaded = keras.models.load_model(tmp_path / "frozen.keras")
    rbase = reloaded.get_layer("base")
    assert reloaded.trainable is False and rbase.trainable is True
    assert not any(layer.trainable for layer in rbase.layers)
    reloaded.trainable = True
    assert reloaded.get_layer("head").trainable is True
    assert not any(layer.trainable for layer in rbase.layers)
    assert len(reloaded.trainable_weights) == 2  # the head's kernel and bias only
    reloaded = keras.models.load_model(tmp_path / "frozen.keras")
    reloaded.trainable = False  # a toggle of the reloaded model does not reach them either
    reloaded.trainable = True
    assert not any(layer.trainable for layer in reloaded.get_layer("base").layers)


def test_a_frozen_model_reports_no_trainable_weights_whatever_its_layers_say():
    """Kata 23's set_freeze_state must unfreeze the models themselves: with
    model.trainable False, model.trainable_weights is empty even when a leaf's flag is True; with
    only a nested base frozen, the outer model still trains that leaf."""
    model, base = nested_model()
    model.trainable = False
    base.get_layer("b2").trainable = True
    assert model.trainable_weights == []
    model, base = nested_model()
    base.trainable = False
    base.get_layer("b2").trainable = True
    assert base.trainable_weights == []
    assert {id(v) for v in model.trainable_weights} >= {id(v) for v in base.get_layer("b2").weights}
