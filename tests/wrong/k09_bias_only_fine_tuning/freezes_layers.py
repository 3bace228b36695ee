"""Wrong: freezes every layer that has a kernel, an embedding or gamma, hoping the biases stay: a
layer's flag covers all of its variables, so the biases freeze too."""
import math

import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def train_only_biases(model: keras.Model) -> int:
    model.trainable = True
    for layer in _leaf_layers(model):
        if any(v.name in ("kernel", "embeddings", "gamma") for v in layer.weights):
            layer.trainable = False
    return sum(math.prod(v.shape) for v in model.trainable_weights)
