"""Wrong: collects the layer names in sets and returns them sorted alphabetically, not in model
order."""
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
    trainable_layers, frozen_layers = set(), set()
    for layer in _leaf_layers(model):
        if layer.weights:
            is_trained = any(id(v) in trained for v in layer.weights)
            (trainable_layers if is_trained else frozen_layers).add(layer.name)
    return {
        "trainable_params": int(sum(math.prod(v.shape) for v in model.trainable_weights)),
        "non_trainable_params": int(sum(math.prod(v.shape) for v in model.non_trainable_weights)),
        "trainable_layers": sorted(trainable_layers),
        "frozen_layers": sorted(frozen_layers),
    }
