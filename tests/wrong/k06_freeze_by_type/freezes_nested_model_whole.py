"""Wrong: freezes a nested model as a whole when it contains a matching layer, which freezes every
layer inside it, whatever its type."""
import keras


def _matches(model, layer_types):
    found = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            found.extend(_matches(layer, layer_types))
        elif isinstance(layer, layer_types):
            found.append(layer)
    return found


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    frozen = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            inner = _matches(layer, layer_types)
            if inner:
                layer.trainable = False
                frozen.extend(found.name for found in inner)
        elif isinstance(layer, layer_types):
            layer.trainable = False
            frozen.append(layer.name)
    return frozen
