"""Wrong: unfreezes the first k weighted layers, which hold the generic features, and freezes the
high-level ones that should adapt to the new task."""
import keras


def unfreeze_top_layers(base: keras.Model, k: int) -> keras.Model:
    weighted = [layer for layer in base.layers if layer.weights]
    if not 0 <= k <= len(weighted):
        raise ValueError(k)
    base.trainable = True
    for index, layer in enumerate(weighted):
        layer.trainable = index < k
    return base
