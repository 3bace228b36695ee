"""Wrong: returns the layer objects instead of their names."""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list:
    frozen = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            frozen.extend(freeze_by_type(layer, layer_types))
        elif isinstance(layer, layer_types):
            layer.trainable = False
            frozen.append(layer)
    return frozen
