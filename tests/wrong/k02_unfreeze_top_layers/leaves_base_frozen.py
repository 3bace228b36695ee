"""Wrong: sets every weighted layer's flag but never base.trainable = True, so a base that arrived
frozen keeps base.trainable False and base.trainable_weights empty."""
import keras


def unfreeze_top_layers(base: keras.Model, k: int) -> keras.Model:
    weighted = [layer for layer in base.layers if layer.weights]
    if not 0 <= k <= len(weighted):
        raise ValueError(k)
    for index, layer in enumerate(weighted):
        layer.trainable = index >= len(weighted) - k
    return base
