"""Tiny "pretrained" models and synthetic data, made locally and deterministically.

No downloads: `keras.applications` weights are out of reach offline, so each zoo model is built and
pretrained here on synthetic data in well under a second. The pretrained weights are kept in memory
(as numpy arrays), so every later call returns a fresh model object with the same weights at the
cost of a build only. Every builder re-seeds Keras before it returns, so the random state a test sees
afterwards does not depend on whether the weights came from the cache.
"""
from __future__ import annotations

import numpy as np

_PRETRAINED: dict[str, list[np.ndarray]] = {}
_ZOO_SEED = 1234
INPUT_DIM = 8
IMAGE_SHAPE = (8, 8, 1)


def regression_data(n: int = 64, d: int = INPUT_DIM, seed: int = 0, shift: float = 0.0):
    """x ~ N(shift, 1), y a smooth function of x: learnable, so gradients are never zero."""
    rng = np.random.default_rng(seed)
    x = rng.normal(loc=shift, size=(n, d)).astype("float32")
    w = rng.normal(size=(d, 1)).astype("float32")
    y = np.tanh(x @ w / np.sqrt(d)).astype("float32")
    return x, y


def classification_data(n: int = 64, d: int = INPUT_DIM, classes: int = 3, seed: int = 0,
                        shift: float = 0.0):
    """Linearly separable classes: a head on any reasonable features can learn them."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=3.0, size=(classes, d)).astype("float32")
    labels = rng.integers(0, classes, size=n)
    x = (centers[labels] + rng.normal(size=(n, d)) + shift).astype("float32")
    return x, labels.astype("int32")


def image_data(n: int = 32, classes: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, size=n)
    x = rng.normal(size=(n, *IMAGE_SHAPE)).astype("float32")
    x[:, : 2 + labels.max(), :, 0] += labels[:, None, None].astype("float32")
    return x, labels.astype("int32")


def _seeded_build(key: str, build, pretrain):
    """Build with a fixed seed; pretrain once per process and reuse the weights afterwards."""
    import keras

    keras.utils.set_random_seed(_ZOO_SEED)
    model = build()
    # Call every zoo model once on a symbolic input, so `.input`/`.output` exist whether its
    # weights come from pretraining (which calls it) or from the cache (which would not).
    model(keras.Input(model.input_shape[1:]))
    if key not in _PRETRAINED:
        pretrain(model)
        _PRETRAINED[key] = [np.array(w, copy=True) for w in model.get_weights()]
    else:
        model.set_weights(_PRETRAINED[key])
    keras.utils.set_random_seed(_ZOO_SEED + 1)
    return model


def _fit_quietly(model, x, y, loss, epochs=2):
    import keras

    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=loss)
    model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)


def challenge_model(input_dim: int = INPUT_DIM):
    """Practice challenge 1's model, untrained: Dense 10 relu, Dense 10 relu, Dense 1."""
    import keras

    return keras.Sequential([
        keras.Input((input_dim,)),
        keras.layers.Dense(10, activation="relu"),
        keras.layers.Dense(10, activation="relu"),
        keras.layers.Dense(1),
    ])


def pretrained_mlp():
    """Functional MLP with weightless layers in between (InputLayer, Dropout, Flatten).

    model.layers: input, dense_a, dropout, dense_b, flatten, dense_c, out (4 weighted layers).
    """
    import keras

    def build():
        inputs = keras.Input((INPUT_DIM,), name="input")
        h = keras.layers.Dense(16, activation="tanh", name="dense_a")(inputs)
        h = keras.layers.Dropout(0.1, name="dropout")(h)
        h = keras.layers.Dense(16, activation="tanh", name="dense_b")(h)
        h = keras.layers.Flatten(name="flatten")(h)
        h = keras.layers.Dense(8, activation="tanh", name="dense_c")(h)
        outputs = keras.layers.Dense(1, name="out")(h)
        return keras.Model(inputs, outputs, name="pretrained_mlp")

    return _seeded_build("mlp", build, lambda m: _fit_quietly(m, *regression_data(256, seed=11), "mse"))


def pretrained_base():
    """A Sequential feature extractor with BatchNormalization and Dropout, named 'base'.

    layers: base_dense_1, base_bn, base_dense_2, base_dropout, base_dense_3 (4 weighted).
    """
    import keras

    def build():
        return keras.Sequential([
            keras.Input((INPUT_DIM,)),
            keras.layers.Dense(16, activation="tanh", name="base_dense_1"),
            keras.layers.BatchNormalization(name="base_bn"),
            keras.layers.Dense(16, activation="tanh", name="base_dense_2"),
            keras.layers.Dropout(0.2, name="base_dropout"),
            keras.layers.Dense(8, activation="tanh", name="base_dense_3"),
        ], name="base")

    def pretrain(base):
        head = keras.layers.Dense(1)
        inputs = keras.Input((INPUT_DIM,))
        _fit_quietly(keras.Model(inputs, head(base(inputs))), *regression_data(256, seed=12), "mse")

    return _seeded_build("base", build, pretrain)


def pretrained_convnet():
    """A small convolutional base with BatchNormalization, named 'convnet'.

    layers: conv_1, conv_bn, conv_relu, conv_2, pool, features (4 weighted).
    """
    import keras

    def build():
        return keras.Sequential([
            keras.Input(IMAGE_SHAPE),
            keras.layers.Conv2D(4, 3, padding="same", name="conv_1"),
            keras.layers.BatchNormalization(name="conv_bn"),
            keras.layers.ReLU(name="conv_relu"),
            keras.layers.Conv2D(8, 3, padding="same", activation="tanh", name="conv_2"),
            keras.layers.GlobalAveragePooling2D(name="pool"),
            keras.layers.Dense(8, activation="tanh", name="features"),
        ], name="convnet")

    def pretrain(convnet):
        inputs = keras.Input(IMAGE_SHAPE)
        outputs = keras.layers.Dense(3, activation="softmax")(convnet(inputs))
        _fit_quietly(keras.Model(inputs, outputs), *image_data(64, seed=13),
                     "sparse_categorical_crossentropy")

    return _seeded_build("convnet", build, pretrain)


def with_head(base, units: int = 1, activation=None, name: str = "head"):
    """A functional model: Input -> base -> Dense(units): the usual transfer-learning shape."""
    import keras

    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(units, activation=activation, name=name)(base(inputs))
    return keras.Model(inputs, outputs, name=f"{base.name}_with_{name}")
