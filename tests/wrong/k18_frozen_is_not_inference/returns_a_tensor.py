"""Wrong: returns the backend tensor that base(x) gives, not a numpy array."""
import keras
import numpy as np


def extract_features(base: keras.Model, x) -> np.ndarray:
    return base(x, training=False)
