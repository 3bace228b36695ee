"""Wrong: walks the model with the private `_flatten_layers()`, which visits a nested model's layers
in reverse order, so the names do not come back in model order."""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    frozen = []
    for layer in model._flatten_layers(include_self=False):
        if not isinstance(layer, keras.Model) and isinstance(layer, layer_types):
            layer.trainable = False
            frozen.append(layer.name)
    return frozen
