"""Wrong: loads and freezes the matrix but never passes mask_zero on, so padding (index 0) is
averaged in as if it were a word."""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    matrix = np.asarray(matrix, dtype="float32")
    return keras.layers.Embedding(matrix.shape[0], matrix.shape[1], weights=[matrix],
                                  trainable=False)
