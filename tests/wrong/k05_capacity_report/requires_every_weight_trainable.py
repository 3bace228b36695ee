"""Wrong: calls a layer trainable only when ALL its weights are trainable, so BatchNormalization
(whose moving statistics are never trainable) and a Dense layer with only its bias frozen are
reported as frozen although fit() trains them."""
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
    return {
        "trainable_params": int(sum(math.prod(v.shape) for v in model.trainable_weights)),
        "non_trainable_params": int(sum(math.prod(v.shape) for v in model.non_trainable_weights)),
        "trainable_layers": [l.name for l in weighted if all(id(v) in trained for v in l.weights)],
        "frozen_layers": [l.name for l in weighted if not all(id(v) in trained for v in l.weights)],
    }
