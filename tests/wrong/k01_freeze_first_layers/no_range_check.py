"""Wrong: accepts any n, so a typo such as n=-1 or n=50 silently freezes nothing or everything."""
import keras


def freeze_first_layers(model: keras.Model, n: int = 2) -> keras.Model:
    model.trainable = True
    for index, layer in enumerate(layer for layer in model.layers if layer.weights):
        layer.trainable = index >= n
    return model
