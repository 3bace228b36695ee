"""Wrong: an off-by-one range check that refuses n equal to the number of weighted layers, which
the statement allows (freeze them all)."""
import keras


def freeze_first_layers(model: keras.Model, n: int = 2) -> keras.Model:
    weighted = [layer for layer in model.layers if layer.weights]
    if not 0 <= n < len(weighted):
        raise ValueError(n)
    model.trainable = True
    for index, layer in enumerate(weighted):
        layer.trainable = index >= n
    return model
