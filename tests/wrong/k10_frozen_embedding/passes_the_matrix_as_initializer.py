"""Wrong: passes the matrix itself as embeddings_initializer. Keras accepts an array there and the
layer works, but its config can only record the initializer as a bare function: a model saved with
the layer fails to load back."""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    matrix = np.array(matrix, dtype="float32")
    return keras.layers.Embedding(matrix.shape[0], matrix.shape[1], embeddings_initializer=matrix,
                                  mask_zero=mask_zero, trainable=False)
