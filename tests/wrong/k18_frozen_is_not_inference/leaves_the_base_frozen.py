"""Wrong: freezes the base "so that extracting features cannot change it" and leaves it frozen. The
features are right, but the base's trainable flags are not what they were."""
import keras
import numpy as np


def extract_features(base: keras.Model, x) -> np.ndarray:
    base.trainable = False
    return np.asarray(keras.ops.convert_to_numpy(base(x, training=False)))
