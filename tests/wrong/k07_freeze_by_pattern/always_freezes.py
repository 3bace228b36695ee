"""Wrong: ignores the `trainable` argument and always freezes, so it cannot unfreeze a block."""
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
        raise ValueError(f"no layer matches {pattern!r}")
    for layer in matched:
        layer.trainable = False
    return [layer.name for layer in matched]
