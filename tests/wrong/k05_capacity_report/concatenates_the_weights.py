"""Wrong: counts parameters by concatenating the weights into one array and taking its size, which
raises on a model that has no trainable weight at all (a fully frozen model)."""
import keras
import numpy as np


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def _count(variables) -> int:
    return int(np.concatenate([np.ravel(v.numpy()) for v in variables]).size)


def capacity_report(model: keras.Model) -> dict:
    trained = {id(v) for v in model.trainable_weights}
    weighted = [layer for layer in _leaf_layers(model) if layer.weights]
    return {
        "trainable_params": _count(model.trainable_weights),
        "non_trainable_params": _count(model.non_trainable_weights),
        "trainable_layers": [l.name for l in weighted if any(id(v) in trained for v in l.weights)],
        "frozen_layers": [l.name for l in weighted if not any(id(v) in trained for v in l.weights)],
    }
