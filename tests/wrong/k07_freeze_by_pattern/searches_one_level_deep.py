"""Wrong: looks inside the nested models listed in model.layers, but not inside a model nested in
one of them, so the layers of a block two models deep are never matched."""
import fnmatch

import keras


def _leaf_layers(model):
    for layer in model.layers:
        for inner in (layer.layers if isinstance(layer, keras.Model) else [layer]):
            if not isinstance(inner, keras.Model):
                yield inner


def set_trainable_by_pattern(model: keras.Model, pattern: str, trainable: bool) -> list[str]:
    matched = [layer for layer in _leaf_layers(model) if fnmatch.fnmatchcase(layer.name, pattern)]
    if not matched:
        raise ValueError(f"no layer name matches {pattern!r}")
    for layer in matched:
        layer.trainable = trainable
    return [layer.name for layer in matched]
