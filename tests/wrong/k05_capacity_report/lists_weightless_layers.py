"""Wrong: lists every leaf layer, so layers without weights (the InputLayer, Dropout) show up as
frozen layers although there is nothing in them to freeze."""
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
    leaves = list(_leaf_layers(model))
    return {
        "trainable_params": int(sum(math.prod(v.shape) for v in model.trainable_weights)),
        "non_trainable_params": int(sum(math.prod(v.shape) for v in model.non_trainable_weights)),
        "trainable_layers": [l.name for l in leaves if any(id(v) in trained for v in l.weights)],
        "frozen_layers": [l.name for l in leaves if not any(id(v) in trained for v in l.weights)],
    }
