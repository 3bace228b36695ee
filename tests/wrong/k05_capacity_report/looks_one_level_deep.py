"""Wrong: looks inside a nested model, but not inside a model nested in that one: a base two levels
down is reported as one layer instead of its own layers."""
import math

import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from layer.layers
        else:
            yield layer


def capacity_report(model: keras.Model) -> dict:
    trained = {id(v) for v in model.trainable_weights}
    weighted = [layer for layer in _leaf_layers(model) if layer.weights]
    return {
        "trainable_params": int(sum(math.prod(v.shape) for v in model.trainable_weights)),
        "non_trainable_params": int(sum(math.prod(v.shape) for v in model.non_trainable_weights)),
        "trainable_layers": [l.name for l in weighted if any(id(v) in trained for v in l.weights)],
        "frozen_layers": [l.name for l in weighted if not any(id(v) in trained for v in l.weights)],
    }
