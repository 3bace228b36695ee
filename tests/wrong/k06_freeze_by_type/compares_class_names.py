"""Wrong: compares class names as strings (type(layer).__name__ == "Dense"), which misses every
subclass of the requested type."""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    if not isinstance(layer_types, tuple):
        layer_types = (layer_types,)
    wanted = {cls.__name__ for cls in layer_types}
    frozen = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            frozen.extend(freeze_by_type(layer, layer_types))
        elif type(layer).__name__ in wanted:
            layer.trainable = False
            frozen.append(layer.name)
    return frozen
