"""Wrong: starts the new rows at 0 instead of at the mean of the pretrained rows."""
import keras
import numpy as np


class ExtendedEmbedding(keras.layers.Layer):
    """The pretrained rows in a variable that does not train, the new rows in one that does."""

    def __init__(self, pretrained_rows, new_rows, mask_zero=False, new_first=False, **kwargs):
        super().__init__(**kwargs)
        self.mask_zero, self.new_first = mask_zero, new_first
        self.pretrained_rows = self.add_weight(
            shape=pretrained_rows.shape, dtype=pretrained_rows.dtype, trainable=False,
            name="pretrained_rows", initializer=keras.initializers.Constant(pretrained_rows))
        self.new_rows = self.add_weight(
            shape=new_rows.shape, dtype=new_rows.dtype, trainable=True, name="new_rows",
            initializer=keras.initializers.Constant(new_rows))

    def call(self, ids):
        parts = [self.pretrained_rows, self.new_rows]
        table = keras.ops.concatenate(parts[::-1] if self.new_first else parts, axis=0)
        return keras.ops.take(table, keras.ops.cast(ids, "int32"), axis=0)

    def compute_mask(self, ids, mask=None):
        return keras.ops.not_equal(ids, 0) if self.mask_zero else None


def extend_vocabulary(pretrained: keras.layers.Embedding, new_tokens: int) -> keras.layers.Layer:
    rows = keras.ops.convert_to_numpy(pretrained.embeddings)
    new = np.zeros((new_tokens, rows.shape[1]), rows.dtype)
    return ExtendedEmbedding(rows, new, mask_zero=pretrained.mask_zero,
                             dtype=pretrained.dtype_policy)
