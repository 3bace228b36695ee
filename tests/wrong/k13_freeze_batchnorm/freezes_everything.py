"""Wrong: freezes the whole model, so the BatchNormalization layers are frozen, but so is every
convolution and Dense layer: nothing learns any more."""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    model.trainable = False
    return sum(isinstance(layer, keras.layers.BatchNormalization) for layer in _all_layers(model))


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)
