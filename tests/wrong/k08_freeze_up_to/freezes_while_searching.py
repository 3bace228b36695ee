"""Wrong: freezes the layers one by one while it looks for the name, so a name that is not there
raises ValueError only after every layer of the model has been frozen."""
import keras


def _set_throughout(layer, trainable):
    layer.trainable = trainable
    if isinstance(layer, keras.Model):
        for inner in layer.layers:
            _set_throughout(inner, trainable)


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    model.trainable = True
    found, frozen = False, 0
    for layer in model.layers:
        _set_throughout(layer, found)
        if not found:
            frozen += 1 if layer.weights else 0
        if layer.name == layer_name:
            found = True
    if not found:
        raise ValueError(f"no layer named {layer_name!r} in model.layers")
    return frozen
