"""Wrong: looks inside the nested models listed in model.layers, but not inside a model nested in
one of them, so a base two models deep is never searched."""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    frozen = []
    for layer in model.layers:
        inner = layer.layers if isinstance(layer, keras.Model) else [layer]
        for candidate in inner:
            if not isinstance(candidate, keras.Model) and isinstance(candidate, layer_types):
                candidate.trainable = False
                frozen.append(candidate.name)
    return frozen
