"""Reference solution for kata 6: freeze every layer of a given type, nested models included."""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    frozen = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            # Search a nested model; never freeze it as a whole (that would freeze every type).
            frozen.extend(freeze_by_type(layer, layer_types))
        elif isinstance(layer, layer_types):  # subclasses match too
            layer.trainable = False
            frozen.append(layer.name)
    return frozen
