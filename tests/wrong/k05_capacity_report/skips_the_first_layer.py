"""Wrong: skips model.layers[0], taking it for the InputLayer. A functional model lists its
InputLayer first, but a Sequential model does not: its first layer goes missing from the report."""
import math

import keras


def _leaf_layers(layers):
    for layer in layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer.layers)
        else:
            yield layer


def capacity_report(model: keras.Model) -> dict:
    trained = {id(v) for v in model.trainable_weights}
    weighted = [layer for layer in _leaf_layers(model.layers[1:]) if layer.weights]
    return {
        "trainable_params": int(sum(math.prod(v.shape) for v in model.trainable_weights)),
        "non_trainable_params": int(sum(math.prod(v.shape) for v in model.non_trainable_weights)),
        "trainable_layers": [l.name for l in weighted if any(id(v) in trained for v in l.weights)],
        "frozen_layers": [l.name for l in weighted if not any(id(v) in trained for v in l.weights)],
    }
