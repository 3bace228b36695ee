"""Wrong: sets the variable flags first and then `layer.trainable = True` "for good measure": on a
layer that was frozen, that assignment sets every variable of the layer trainable again."""
import math

import keras


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)


def train_only_biases(model: keras.Model) -> int:
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    model.trainable = True
    for layer in _all_layers(model):
        layer.trainable = True
    return sum(math.prod(v.shape) for v in model.trainable_weights)
