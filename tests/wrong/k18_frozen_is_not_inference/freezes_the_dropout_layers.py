"""Wrong: sets trainable = False on every Dropout layer for the call, calls the base with
training=True, then gives them their flags back. Dropout owns no weights, so its flag changes
nothing: it keeps dropping (and a trainable base's BatchNormalization updates its statistics)."""
import keras
import numpy as np


def extract_features(base: keras.Model, x) -> np.ndarray:
    dropouts = [layer for layer in base.layers if isinstance(layer, keras.layers.Dropout)]
    flags = [layer.trainable for layer in dropouts]
    for layer in dropouts:
        layer.trainable = False
    features = keras.ops.convert_to_numpy(base(x, training=True))
    for layer, flag in zip(dropouts, flags):
        layer.trainable = flag
    return np.asarray(features)
