"""Wrong: lower-cases the pattern and the names, so "Block1_*" matches although Keras layer names
are case-sensitive."""
import fnmatch

import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def set_trainable_by_pattern(model: keras.Model, pattern: str, trainable: bool) -> list[str]:
    matched = [layer for layer in _leaf_layers(model)
               if fnmatch.fnmatchcase(layer.name.lower(), pattern.lower())]
    if not matched:
        raise ValueError(f"no layer matches {pattern!r}")
    for layer in matched:
        layer.trainable = trainable
    return [layer.name for layer in matched]
