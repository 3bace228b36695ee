"""Reference solution for kata 5: report a partly frozen model's capacity."""
import math

import keras


def capacity_report(model: keras.Model) -> dict:
    # What fit() trains is model.trainable_weights, whatever the flags say. Variables are compared
    # by id(): `v in model.trainable_weights` compares values element by element and raises.
    trained = {id(v) for v in model.trainable_weights}
    trainable_layers, frozen_layers = [], []
    for layer in _leaf_layers(model):
        if not layer.weights:
            continue
        if any(id(v) in trained for v in layer.weights):
            trainable_layers.append(layer.name)
        else:
            frozen_layers.append(layer.name)
    return {
        "trainable_params": _count(model.trainable_weights),
        "non_trainable_params": _count(model.non_trainable_weights),
        "trainable_layers": trainable_layers,
        "frozen_layers": frozen_layers,
    }


def _leaf_layers(model):
    """Every layer that is not itself a model, in model order, looking inside nested models."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def _count(variables) -> int:
    return sum(math.prod(v.shape) for v in variables)
