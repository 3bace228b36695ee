"""Wrong: sets every layer's flag (trainable = not a match), so a layer of another type that was
frozen before is silently unfrozen."""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    frozen = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            frozen.extend(freeze_by_type(layer, layer_types))
        else:
            match = isinstance(layer, layer_types)
            layer.trainable = not match
            if match:
                frozen.append(layer.name)
    return frozen
