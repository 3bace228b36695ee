"""Wrong: looks only at model.layers, which lists a nested base as one layer, so the
BatchNormalization layers inside the pretrained base keep training."""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    frozen = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
            frozen += 1
    return frozen
