"""Wrong: sets every flag right but forgets `return base`, so the caller gets None."""
import keras


def unfreeze_top_layers(base: keras.Model, k: int) -> keras.Model:
    weighted = [layer for layer in base.layers if layer.weights]
    if not 0 <= k <= len(weighted):
        raise ValueError(k)
    base.trainable = True
    for index, layer in enumerate(weighted):
        layer.trainable = index >= len(weighted) - k
