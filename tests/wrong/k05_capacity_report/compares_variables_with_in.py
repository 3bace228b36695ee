"""Wrong: tests membership with `v in model.trainable_weights`. `in` compares with ==, which on
Keras variables compares values element by element: it raises instead of answering."""
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
    trained = [layer for layer in weighted
               if any(v in model.trainable_weights for v in layer.weights)]
    return {
        "trainable_params": int(sum(math.prod(v.shape) for v in model.trainable_weights)),
        "non_trainable_params": int(sum(math.prod(v.shape) for v in model.non_trainable_weights)),
        "trainable_layers": [layer.name for layer in trained],
        "frozen_layers": [layer.name for layer in weighted if layer not in trained],
    }
