"""Wrong: a larger keras.layers.Embedding initialised with the pretrained rows and the new ones,
every row trainable: fit() moves the pretrained rows that the data looks up (and, with Adam, keeps
moving those it looked up earlier)."""
import keras
import numpy as np


def extend_vocabulary(pretrained: keras.layers.Embedding, new_tokens: int) -> keras.layers.Layer:
    rows = keras.ops.convert_to_numpy(pretrained.embeddings)
    matrix = np.concatenate([rows, np.tile(rows.mean(axis=0), (new_tokens, 1))]).astype(rows.dtype)
    return keras.layers.Embedding(len(matrix), rows.shape[1], mask_zero=pretrained.mask_zero,
                                  dtype=pretrained.dtype_policy,
                                  embeddings_initializer=keras.initializers.Constant(matrix))
