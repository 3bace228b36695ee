"""Wrong: a frozen base reports no trainable weights of its own, so this report unfreezes each
nested model for a moment to look inside it, then sets its flag back to False. Setting a parent's
flag reaches every layer inside it: a layer of the frozen base that the outer model trained (its
own flag True) is frozen afterwards. The report changed the model it was asked to look at."""
import math

import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def _look_inside(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model) and not layer.trainable:
            layer.trainable = True
            _look_inside(layer)
            layer.trainable = False


def capacity_report(model: keras.Model) -> dict:
    trained = {id(v) for v in model.trainable_weights}
    _look_inside(model)
    weighted = [layer for layer in _leaf_layers(model) if layer.weights]
    return {
        "trainable_params": int(sum(math.prod(v.shape) for v in model.trainable_weights)),
        "non_trainable_params": int(sum(math.prod(v.shape) for v in model.non_trainable_weights)),
        "trainable_layers": [l.name for l in weighted if any(id(v) in trained for v in l.weights)],
        "frozen_layers": [l.name for l in weighted if not any(id(v) in trained for v in l.weights)],
    }
