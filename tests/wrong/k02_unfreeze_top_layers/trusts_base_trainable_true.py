"""Wrong: "unfreezes everything" with base.trainable = True and then freezes the bottom layers;
when base.trainable is already True that assignment is a silent no-op on the TensorFlow backend,
so a layer frozen earlier stays frozen even when it is among the top k."""
import keras


def unfreeze_top_layers(base: keras.Model, k: int) -> keras.Model:
    weighted = [layer for layer in base.layers if layer.weights]
    if not 0 <= k <= len(weighted):
        raise ValueError(k)
    base.trainable = True
    for layer in weighted[: len(weighted) - k]:
        layer.trainable = False
    return base
