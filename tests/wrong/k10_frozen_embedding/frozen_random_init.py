"""Wrong: a frozen Embedding of the right shape, but never given the matrix: it keeps its random
initial values forever."""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    return keras.layers.Embedding(matrix.shape[0], matrix.shape[1], mask_zero=mask_zero,
                                  trainable=False)
