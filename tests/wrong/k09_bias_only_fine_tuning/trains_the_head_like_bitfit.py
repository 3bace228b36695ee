"""Wrong: trains the biases and, as BitFit does, the whole new head (the last layer of the model),
kernel included; this kata asks for the variables named bias only."""
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
    head = model.layers[-1]
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    for variable in head.weights:
        variable.trainable = True
    return sum(math.prod(v.shape) for v in model.trainable_weights)
