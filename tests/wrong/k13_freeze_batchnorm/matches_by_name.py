"""Wrong: finds BatchNormalization layers by their default name ("batch_normalization..."), so
layers named otherwise, as pretrained models name them ("conv_bn", "base_bn"), are missed."""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    frozen = 0
    for layer in _all_layers(model):
        if "batch_normalization" in layer.name:
            layer.trainable = False
            frozen += 1
    return frozen


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)
