"""Wrong: freezes every variable, then unfreezes `layer.bias` of each layer that has one. Dense and
Conv keep their bias there, but a custom layer may keep a variable named bias under another
attribute: that bias stays frozen."""
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
    for variable in model.weights:
        variable.trainable = False
    for layer in _all_layers(model):
        if getattr(layer, "bias", None) is not None:
            layer.bias.trainable = True
    return sum(math.prod(v.shape) for v in model.trainable_weights)
