"""Wrong: freezes the last n weighted layers instead of the first n."""
import keras


def freeze_first_layers(model: keras.Model, n: int = 2) -> keras.Model:
    weighted = [layer for layer in model.layers if layer.weights]
    if not 0 <= n <= len(weighted):
        raise ValueError(n)
    model.trainable = True
    for index, layer in enumerate(weighted):
        layer.trainable = index < len(weighted) - n
    return model
