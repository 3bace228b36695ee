"""Wrong: picks the top layers with weighted[-k:], but weighted[-0:] is the whole list, so k=0
unfreezes every layer instead of none."""
import keras


def unfreeze_top_layers(base: keras.Model, k: int) -> keras.Model:
    weighted = [layer for layer in base.layers if layer.weights]
    if not 0 <= k <= len(weighted):
        raise ValueError(k)
    base.trainable = True
    top = weighted[-k:]
    for layer in weighted:
        layer.trainable = any(layer is t for t in top)
    return base
