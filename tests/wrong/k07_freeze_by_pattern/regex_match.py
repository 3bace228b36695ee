"""Wrong: treats the glob as a regular expression (re.match), where `*` and `?` repeat the character
before them: "block?_dense" then matches nothing and "*_norm" is not even a valid expression."""
import re

import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def set_trainable_by_pattern(model: keras.Model, pattern: str, trainable: bool) -> list[str]:
    matched = [layer for layer in _leaf_layers(model) if re.match(pattern, layer.name)]
    if not matched:
        raise ValueError(f"no layer matches {pattern!r}")
    for layer in matched:
        layer.trainable = trainable
    return [layer.name for layer in matched]
