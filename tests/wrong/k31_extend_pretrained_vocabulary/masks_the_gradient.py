"""Wrong: one trainable matrix whose pretrained rows are looked up through
keras.ops.stop_gradient: their gradient is 0, which keeps them bit-exact with SGD or Adam, but
weight decay (AdamW's, or any optimizer's weight_decay) shrinks the whole variable, whatever its
gradient, so the pretrained rows move."""
import keras
import numpy as np


class MaskedEmbedding(keras.layers.Layer):
    def __init__(self, matrix, frozen_rows, mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        self.frozen_rows, self.mask_zero = frozen_rows, mask_zero
        self.matrix = self.add_weight(shape=matrix.shape, dtype=matrix.dtype, name="embeddings",
                                      initializer=keras.initializers.Constant(matrix))

    def call(self, ids):
        table = keras.ops.concatenate([keras.ops.stop_gradient(self.matrix[:self.frozen_rows]),
                                       self.matrix[self.frozen_rows:]], axis=0)
        return keras.ops.take(table, keras.ops.cast(ids, "int32"), axis=0)

    def compute_mask(self, ids, mask=None):
        return keras.ops.not_equal(ids, 0) if self.mask_zero else None


def extend_vocabulary(pretrained: keras.layers.Embedding, new_tokens: int) -> keras.layers.Layer:
    rows = keras.ops.convert_to_numpy(pretrained.embeddings)
    matrix = np.concatenate([rows, np.tile(rows.mean(axis=0), (new_tokens, 1))]).astype(rows.dtype)
    return MaskedEmbedding(matrix, len(rows), mask_zero=pretrained.mask_zero,
                           dtype=pretrained.dtype_policy)
