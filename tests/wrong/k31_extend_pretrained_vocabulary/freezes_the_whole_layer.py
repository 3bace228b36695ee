"""Wrong: a larger keras.layers.Embedding with trainable=False. The pretrained rows stay, but the
new tokens' rows never learn either."""
import keras
import numpy as np


def extend_vocabulary(pretrained: keras.layers.Embedding, new_tokens: int) -> keras.layers.Layer:
    rows = keras.ops.convert_to_numpy(pretrained.embeddings)
    matrix = np.concatenate([rows, np.tile(rows.mean(axis=0), (new_tokens, 1))]).astype(rows.dtype)
    return keras.layers.Embedding(len(matrix), rows.shape[1], mask_zero=pretrained.mask_zero,
                                  dtype=pretrained.dtype_policy, trainable=False,
                                  embeddings_initializer=keras.initializers.Constant(matrix))
