"""Wrong: starts from the matrix but leaves the layer trainable, so fit() rewrites the pretrained
vectors."""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    matrix = np.array(matrix, dtype="float32")
    return keras.layers.Embedding(matrix.shape[0], matrix.shape[1],
                                  embeddings_initializer=keras.initializers.Constant(matrix),
                                  mask_zero=mask_zero)
