"""Wrong: loops over `layer_types` as if it were always a tuple, so a single class (the usual call,
`freeze_by_type(model, keras.layers.Dense)`) raises TypeError: a class is not iterable."""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    frozen = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            frozen.extend(freeze_by_type(layer, layer_types))
        elif any(isinstance(layer, kind) for kind in layer_types):
            layer.trainable = False
            frozen.append(layer.name)
    return frozen
