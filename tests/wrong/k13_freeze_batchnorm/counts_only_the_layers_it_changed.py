"""Wrong: counts only the BatchNormalization layers that were still trainable. A model whose base
arrived frozen has BatchNormalization layers that are frozen already; they are frozen after the
call like the others, and the count is the number of BatchNormalization layers in the model."""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    frozen = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            frozen += int(layer.trainable)
            layer.trainable = False
        elif isinstance(layer, keras.Model):
            frozen += freeze_batchnorm(layer)
    return frozen
