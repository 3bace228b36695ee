"""Wrong: sets `trainable = True` on the leaf layers only, never on a nested model itself, so a base
that arrived frozen keeps `base.trainable == False`: fit() still trains its biases, but
`base.trainable_weights` lists none of them, and a later `base.trainable = True` would make every
variable in the base trainable again."""
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
        layer.trainable = True
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    return sum(math.prod(v.shape) for v in model.trainable_weights)
