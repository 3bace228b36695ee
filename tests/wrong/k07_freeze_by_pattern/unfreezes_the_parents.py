"""Wrong: when unfreezing, also sets `trainable = True` on every nested model that holds a match,
"so that the outer model sees it": on a frozen encoder that assignment unfreezes every layer inside
it, not only the matching ones."""
import fnmatch

import keras


def _leaves_with_parents(model, parents=()):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaves_with_parents(layer, (*parents, layer))
        else:
            yield layer, parents


def set_trainable_by_pattern(model: keras.Model, pattern: str, trainable: bool) -> list[str]:
    matched = [(layer, parents) for layer, parents in _leaves_with_parents(model)
               if fnmatch.fnmatchcase(layer.name, pattern)]
    if not matched:
        raise ValueError(f"no layer name matches {pattern!r}")
    for layer, parents in matched:
        if trainable:
            for parent in parents:
                parent.trainable = True
        layer.trainable = trainable
    return [layer.name for layer, _ in matched]
