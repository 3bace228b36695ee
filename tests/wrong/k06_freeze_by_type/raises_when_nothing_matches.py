"""Wrong: raises ValueError when no layer matches; this kata asks for an empty list then."""
import keras


def _freeze(model, layer_types):
    frozen = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            frozen.extend(_freeze(layer, layer_types))
        elif isinstance(layer, layer_types):
            layer.trainable = False
            frozen.append(layer.name)
    return frozen


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    frozen = _freeze(model, layer_types)
    if not frozen:
        raise ValueError(f"no layer of type {layer_types}")
    return frozen
