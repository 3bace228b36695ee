"""Right: `weights=[matrix]`, which builds the layer at once and loads the matrix into it."""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    rows, columns = np.shape(matrix)
    return keras.layers.Embedding(rows, columns, weights=[np.asarray(matrix, "float32")],
                                  mask_zero=mask_zero, trainable=False)
