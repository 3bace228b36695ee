"""Wrong: freezes every layer of the base for the call, trusting trainable=False to mean inference
mode, calls it with training=True, then gives each layer its flag back. Freezing stops weight
updates, not Dropout: the features are still random."""
import keras
import numpy as np


def extract_features(base: keras.Model, x) -> np.ndarray:
    flags = [(layer, layer.trainable) for layer in base.layers]
    for layer, _ in flags:
        layer.trainable = False
    features = keras.ops.convert_to_numpy(base(x, training=True))
    for layer, flag in flags:
        layer.trainable = flag
    return np.asarray(features)
