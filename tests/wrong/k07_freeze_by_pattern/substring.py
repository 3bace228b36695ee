"""Wrong: strips the stars and looks for the rest as a substring, so "dense*" matches
"block1_dense" and "block?_dense" matches nothing."""
import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def set_trainable_by_pattern(model: keras.Model, pattern: str, trainable: bool) -> list[str]:
    fragment = pattern.replace("*", "")
    matched = [layer for layer in _leaf_layers(model) if fragment in layer.name]
    if not matched:
        raise ValueError(f"no layer matches {pattern!r}")
    for layer in matched:
        layer.trainable = trainable
    return [layer.name for layer in matched]
