"""Wrong: freezes and lists only the matching layers that were still trainable, so a matching layer
frozen before the call is left out of the returned names."""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    frozen = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            frozen.extend(freeze_by_type(layer, layer_types))
        elif isinstance(layer, layer_types) and layer.trainable:
            layer.trainable = False
            frozen.append(layer.name)
    return frozen
