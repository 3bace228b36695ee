"""Wrong: sorts the leaf layers by their trainable flag. A layer whose kernel and bias were frozen
with variable.trainable = False keeps layer.trainable == True, so it is reported as trainable."""
import math

import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def capacity_report(model: keras.Model) -> dict:
    weighted = [layer for layer in _leaf_layers(model) if layer.weights]
    return {
        "trainable_params": int(sum(math.prod(v.shape) for v in model.trainable_weights)),
        "non_trainable_params": int(sum(math.prod(v.shape) for v in model.non_trainable_weights)),
        "trainable_layers": [layer.name for layer in weighted if layer.trainable],
        "frozen_layers": [layer.name for layer in weighted if not layer.trainable],
    }
