"""Wrong: wraps the frozen embedding in a Sequential model and returns the model, not the layer."""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    matrix = np.array(matrix, dtype="float32")
    layer = keras.layers.Embedding(matrix.shape[0], matrix.shape[1],
                                   embeddings_initializer=keras.initializers.Constant(matrix),
                                   mask_zero=mask_zero, trainable=False)
    return keras.Sequential([layer])
