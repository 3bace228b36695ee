"""Wrong: takes the last k entries of base.layers, so a Dropout layer uses up one of the k and a
weighted layer below it stays frozen."""
import keras


def unfreeze_top_layers(base: keras.Model, k: int) -> keras.Model:
    if not 0 <= k <= len([layer for layer in base.layers if layer.weights]):
        raise ValueError(k)
    base.trainable = True
    first_trained = len(base.layers) - k
    for index, layer in enumerate(base.layers):
        layer.trainable = index >= first_trained
    return base
