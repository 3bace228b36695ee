"""Wrong: runs the base's layers one by one, each with training=False. That only works for a
Sequential base: a functional base's layers start with its InputLayer (which cannot be called on a
tensor), and its graph need not be a chain. Calling the base itself works for any model."""
import keras
import numpy as np


def extract_features(base: keras.Model, x) -> np.ndarray:
    features = x
    for layer in base.layers:
        features = layer(features, training=False)
    return np.asarray(keras.ops.convert_to_numpy(features))
