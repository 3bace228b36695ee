"""Wrong: matches only layers that own weights, so a Dropout layer whose name matches is left out of
the returned names (its flag is harmless, but it is a leaf layer like any other)."""
import fnmatch

import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        elif layer.weights:
            yield layer


def set_trainable_by_pattern(model: keras.Model, pattern: str, trainable: bool) -> list[str]:
    matched = [layer for layer in _leaf_layers(model) if fnmatch.fnmatchcase(layer.name, pattern)]
    if not matched:
        raise ValueError(f"no layer name matches {pattern!r}")
    for layer in matched:
        layer.trainable = trainable
    return [layer.name for layer in matched]
