"""Wrong: marks gamma and beta as non-trainable variables but leaves the layer trainable, so it
stays in training mode and fit() keeps updating its moving mean and variance."""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    frozen = 0
    for layer in _all_layers(model):
        if isinstance(layer, keras.layers.BatchNormalization):
            for variable in layer.weights:
                variable.trainable = False
            frozen += 1
    return frozen


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)
