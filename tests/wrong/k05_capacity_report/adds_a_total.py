"""Wrong: adds a helpful "total_params" key; the report must have exactly the four keys of the
statement."""
import math

import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def capacity_report(model: keras.Model) -> dict:
    trained = {id(v) for v in model.trainable_weights}
    weighted = [layer for layer in _leaf_layers(model) if layer.weights]
    trainable = int(sum(math.prod(v.shape) for v in model.trainable_weights))
    non_trainable = int(sum(math.prod(v.shape) for v in model.non_trainable_weights))
    return {
        "trainable_params": trainable,
        "non_trainable_params": non_trainable,
        "total_params": trainable + non_trainable,
        "trainable_layers": [l.name for l in weighted if any(id(v) in trained for v in l.weights)],
        "frozen_layers": [l.name for l in weighted if not any(id(v) in trained for v in l.weights)],
    }
