"""Wrong: creates the variables in the pretrained dtype but leaves the layer in the default dtype
policy: float64 rows stay float64, but under mixed_float16, where the pretrained layer returns
float16 rows, this one returns float32 ones."""
import keras
import numpy as np


class ExtendedEmbedding(keras.layers.Layer):
    """Looks token ids up in the pretrained rows (a variable that never trains) followed by the
    new rows (a variable that does): the optimizer never sees the pretrained rows, so neither a
    gradient step nor weight decay can move them."""

    def __init__(self, pretrained_rows, new_tokens, mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        rows = np.asarray(pretrained_rows)
        self.mask_zero = mask_zero
        self.pretrained_rows = self.add_weight(
            shape=rows.shape, dtype=rows.dtype, trainable=False, name="pretrained_rows",
            initializer=keras.initializers.Constant(rows))
        # Each new token starts as the mean of the pretrained rows: an "average" token.
        mean = np.tile(rows.mean(axis=0), (new_tokens, 1))
        self.new_rows = self.add_weight(
            shape=mean.shape, dtype=rows.dtype, trainable=True, name="new_rows",
            initializer=keras.initializers.Constant(mean))

    def call(self, ids):
        table = keras.ops.concatenate([self.pretrained_rows, self.new_rows], axis=0)
        return keras.ops.take(table, keras.ops.cast(ids, "int32"), axis=0)

    def compute_mask(self, ids, mask=None):
        return keras.ops.not_equal(ids, 0) if self.mask_zero else None


def extend_vocabulary(pretrained: keras.layers.Embedding, new_tokens: int) -> keras.layers.Layer:
    rows = keras.ops.convert_to_numpy(pretrained.embeddings)  # in the pretrained dtype
    # The variables in the pretrained dtype, but the layer in the default policy (float32).
    return ExtendedEmbedding(rows, new_tokens, mask_zero=pretrained.mask_zero)
