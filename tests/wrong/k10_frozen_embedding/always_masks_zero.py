"""Wrong: always sets mask_zero=True ("0 is padding anyway"), so with the default mask_zero=False
index 0 is masked although it is a real word of the vocabulary."""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    matrix = np.array(matrix, dtype="float32")
    return keras.layers.Embedding(matrix.shape[0], matrix.shape[1],
                                  embeddings_initializer=keras.initializers.Constant(matrix),
                                  mask_zero=True, trainable=False)
