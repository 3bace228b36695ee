"""Wrong: freezes the layers that own a kernel or an embedding, hoping their biases stay trainable
(and freezes gamma and beta by their variable flags). A layer's flag covers all of its variables, so
the biases of those layers freeze too."""
import math

import keras


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)


def train_only_biases(model: keras.Model) -> int:
    model.trainable = True
    for layer in _all_layers(model):
        layer.trainable = True
    for layer in _all_layers(model):
        if any(v.name in ("kernel", "embeddings") for v in layer.weights):
            layer.trainable = False
    for variable in model.weights:
        if variable.name in ("gamma", "beta"):
            variable.trainable = False
    return sum(math.prod(v.shape) for v in model.trainable_weights)
