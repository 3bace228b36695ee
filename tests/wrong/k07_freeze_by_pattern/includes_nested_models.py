"""Wrong: matches the nested models' own names too, so "*" also sets the flag of the nested
'encoder' model itself (freezing it freezes every layer inside it)."""
import fnmatch

import keras


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)


def set_trainable_by_pattern(model: keras.Model, pattern: str, trainable: bool) -> list[str]:
    matched = [layer for layer in _all_layers(model) if fnmatch.fnmatchcase(layer.name, pattern)]
    if not matched:
        raise ValueError(f"no layer name matches {pattern!r}")
    for layer in matched:
        layer.trainable = trainable
    return [layer.name for layer in matched]
