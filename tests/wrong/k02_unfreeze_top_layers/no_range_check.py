"""Wrong: accepts any k, so a typo such as k=-1 or k=50 silently freezes or unfreezes everything."""
import keras


def unfreeze_top_layers(base: keras.Model, k: int) -> keras.Model:
    weighted = [layer for layer in base.layers if layer.weights]
    base.trainable = True
    for index, layer in enumerate(weighted):
        layer.trainable = index >= len(weighted) - k
    return base
