"""Wrong: gives the layer the matrix's own dtype "to keep every digit", so a float64 matrix makes a
float64 layer, while Keras layers (and the statement) keep their embeddings in float32."""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    matrix = np.array(matrix)
    return keras.layers.Embedding(matrix.shape[0], matrix.shape[1],
                                  embeddings_initializer=keras.initializers.Constant(matrix),
                                  mask_zero=mask_zero, trainable=False, dtype=str(matrix.dtype))
