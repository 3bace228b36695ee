"""Wrong: raises ValueError when nothing matches, but the message does not say which pattern, so the
learner cannot tell which of several calls had the typo."""
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
        raise ValueError("no layer matches the pattern")
    for layer in matched:
        layer.trainable = trainable
    return [layer.name for layer in matched]
