"""Wrong: looks inside nested Sequential models only (`isinstance(layer, keras.Sequential)`). A
base built with the functional API is a keras.Model too, and its BatchNormalization layers are
missed."""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    frozen = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
            frozen += 1
        elif isinstance(layer, keras.Sequential):
            frozen += freeze_batchnorm(layer)
    return frozen
