"""Wrong: gives every layer that does not match the opposite flag, so a block frozen by an earlier
call is unfrozen again by the next one."""
import fnmatch

import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def set_trainable_by_pattern(model: keras.Model, pattern: str, trainable: bool) -> list[str]:
    leaves = list(_leaf_layers(model))
    matched = [layer for layer in leaves if fnmatch.fnmatchcase(layer.name, pattern)]
    if not matched:
        raise ValueError(f"no layer matches {pattern!r}")
    for layer in leaves:
        layer.trainable = trainable if layer in matched else not trainable
    return [layer.name for layer in matched]
