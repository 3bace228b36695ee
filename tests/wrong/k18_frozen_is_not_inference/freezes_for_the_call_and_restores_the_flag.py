"""Wrong: freezes the base for the call "to be safe" and sets base.trainable back afterwards. The
features are right, but False then True makes every layer of the base trainable again: a layer
that arrived frozen inside a trainable base comes back unfrozen."""
import keras
import numpy as np


def extract_features(base: keras.Model, x) -> np.ndarray:
    was_trainable = base.trainable
    base.trainable = False
    features = keras.ops.convert_to_numpy(base(x, training=False))
    base.trainable = was_trainable
    return np.asarray(features)
