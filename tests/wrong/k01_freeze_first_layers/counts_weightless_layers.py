"""Wrong: counts every entry of model.layers, so InputLayer, Dropout and Flatten use up n."""
import keras


def freeze_first_layers(model: keras.Model, n: int = 2) -> keras.Model:
    if not 0 <= n <= len([layer for layer in model.layers if layer.weights]):
        raise ValueError(n)
    model.trainable = True
    for index, layer in enumerate(model.layers):
        layer.trainable = index >= n
    return model
