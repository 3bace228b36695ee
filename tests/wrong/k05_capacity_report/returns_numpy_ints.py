"""Wrong: counts with np.prod and returns the NumPy integers as they are; the report promises
plain Python ints."""
import keras
import numpy as np


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
        "trainable_params": np.sum([np.prod(v.shape) for v in model.trainable_weights],
                                   dtype=np.int64),
        "non_trainable_params": np.sum([np.prod(v.shape) for v in model.non_trainable_weights],
                                       dtype=np.int64),
        "trainable_layers": [l.name for l in weighted if any(id(v) in trained for v in l.weights)],
        "frozen_layers": [l.name for l in weighted if not any(id(v) in trained for v in l.weights)],
    }
