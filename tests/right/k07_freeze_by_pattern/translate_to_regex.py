"""Right: the glob translated to a regular expression by `fnmatch.translate` (which anchors it at
both ends) and matched with `re.match`, over an explicit stack of layers."""
import fnmatch
import re

import keras


def set_trainable_by_pattern(model: keras.Model, pattern: str, trainable: bool) -> list[str]:
    regex = re.compile(fnmatch.translate(pattern))
    matched, stack = [], list(reversed(model.layers))
    while stack:
        layer = stack.pop()
        if isinstance(layer, keras.Model):
            stack.extend(reversed(layer.layers))
        elif regex.match(layer.name):
            matched.append(layer)
    if not matched:
        raise ValueError(f"the pattern {pattern!r} matches no layer name")
    for layer in matched:
        layer.trainable = trainable
    return [layer.name for layer in matched]
