"""Wrong: returns only the matching layers whose flag it changed, leaving out those that already had
the requested value."""
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
    if not matched:
        raise ValueError(f"no layer name matches {pattern!r}")
    changed = [layer for layer in matched if layer.trainable != trainable]
    for layer in changed:
        layer.trainable = trainable
    return [layer.name for layer in changed]
