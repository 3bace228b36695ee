"""Wrong: sets every layer's flag but never unfreezes the model itself, so a model that arrives
with model.trainable = False trains nothing at all."""
import keras


def freeze_first_layers(model: keras.Model, n: int = 2) -> keras.Model:
    weighted = [layer for layer in model.layers if layer.weights]
    if not 0 <= n <= len(weighted):
        raise ValueError(n)
    for index, layer in enumerate(weighted):
        layer.trainable = index >= n
    return model
