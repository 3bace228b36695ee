"""Right: unfreezes everything with base.trainable = False and then True (on the TensorFlow
backend True alone is skipped when the flag is already True; False then True reaches every
layer), then freezes the weighted layers below the top k, found from the top down."""
import keras


def unfreeze_top_layers(base: keras.Model, k: int) -> keras.Model:
    weighted = [layer for layer in base.layers if layer.weights]
    if k < 0 or k > len(weighted):
        raise ValueError(f"k={k} is not between 0 and {len(weighted)}")
    base.trainable = False
    base.trainable = True
    for layer in reversed(weighted[: len(weighted) - k]):
        layer.trainable = False
    return base
