"""Right: one larger keras.layers.Embedding, every row trainable, whose embeddings_constraint puts
the pretrained rows back after every update. The optimizer applies a variable's constraint after
the whole update, weight decay included, so they are in place at every step."""
import keras
import numpy as np


class KeepFirstRows(keras.constraints.Constraint):
    def __init__(self, rows):
        self.rows = rows

    def __call__(self, matrix):
        kept = keras.ops.convert_to_tensor(self.rows, dtype=matrix.dtype)
        return keras.ops.concatenate([kept, matrix[len(self.rows):]], axis=0)


def extend_vocabulary(pretrained: keras.layers.Embedding, new_tokens: int) -> keras.layers.Layer:
    rows = keras.ops.convert_to_numpy(pretrained.embeddings)
    matrix = np.concatenate([rows, np.tile(rows.mean(axis=0), (new_tokens, 1))]).astype(rows.dtype)
    return keras.layers.Embedding(
        len(matrix), rows.shape[1], mask_zero=pretrained.mask_zero, dtype=pretrained.dtype_policy,
        embeddings_initializer=keras.initializers.Constant(matrix),
        embeddings_constraint=KeepFirstRows(rows))
