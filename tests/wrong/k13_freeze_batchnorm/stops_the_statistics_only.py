"""Wrong: sets momentum to 1.0 so the moving statistics never change, but the layer is still
trainable: gamma and beta keep training."""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    frozen = 0
    for layer in _all_layers(model):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = 1.0
            frozen += 1
    return frozen


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)
