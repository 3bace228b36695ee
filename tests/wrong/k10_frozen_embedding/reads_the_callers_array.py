"""Wrong: gives the initializer the caller's float32 array itself, not a copy (np.asarray copies
only to change the dtype). The layer reads it when it is built: if the caller has reused its array
by then, the layer holds the new values, not the pretrained ones."""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    matrix = np.asarray(matrix, dtype="float32")
    return keras.layers.Embedding(matrix.shape[0], matrix.shape[1],
                                  embeddings_initializer=keras.initializers.Constant(matrix),
                                  mask_zero=mask_zero, trainable=False)
