"""Right: build the layer first, so that it has its variables, then set_weights, then freeze it."""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    matrix = np.asarray(matrix, dtype="float32")
    layer = keras.layers.Embedding(*matrix.shape, mask_zero=mask_zero)
    layer.build()
    layer.set_weights([matrix])
    layer.trainable = False
    return layer
