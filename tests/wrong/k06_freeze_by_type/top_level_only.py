"""Wrong: loops over model.layers only, where a nested base is a single entry, so the layers inside
the base are never looked at."""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    frozen = []
    for layer in model.layers:
        if isinstance(layer, layer_types):
            layer.trainable = False
            frozen.append(layer.name)
    return frozen
