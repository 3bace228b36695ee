"""Wrong: returns an empty list when nothing matches, so a typo in the pattern silently freezes
nothing and training goes on as if it had worked."""
import fnmatch

import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def set_trainable_by_pattern(model: keras.Model, pattern: str, trainable: bool) -> list[str]:
    matched = [layer for layer in _leaf_layers(model) if fnmatch.fnmatchcase(layer.name, pattern)]
    for layer in matched:
        layer.trainable = trainable
    return [layer.name for layer in matched]
