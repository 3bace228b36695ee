"""Wrong: retypes the signature without the default, so freeze_first_layers(model) raises
TypeError instead of freezing the first 2 weighted layers."""
import keras


def freeze_first_layers(model: keras.Model, n: int) -> keras.Model:
    weighted = [layer for layer in model.layers if layer.weights]
    if not 0 <= n <= len(weighted):
        raise ValueError(n)
    model.trainable = True
    for index, layer in enumerate(weighted):
        layer.trainable = index >= n
    return model
