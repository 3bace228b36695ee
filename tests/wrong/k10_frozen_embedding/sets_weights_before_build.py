"""Wrong: calls set_weights on the unbuilt layer, which has no weights yet and raises ValueError;
the error is swallowed, so the matrix is lost and the layer builds later with random values."""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    layer = keras.layers.Embedding(matrix.shape[0], matrix.shape[1], mask_zero=mask_zero,
                                   trainable=False)
    try:
        layer.set_weights([np.asarray(matrix, dtype="float32")])
    except ValueError:
        pass  # "the layer is not built yet": it will be, later
    return layer
