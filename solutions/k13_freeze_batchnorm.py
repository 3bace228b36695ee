"""Reference solution for kata 13: freeze every BatchNormalization layer."""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    frozen = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False  # inference mode: gamma, beta and moving stats all stay
            frozen += 1
        elif isinstance(layer, keras.Model):
            frozen += freeze_batchnorm(layer)  # model.layers lists a nested model as one layer
    return frozen
