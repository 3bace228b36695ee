"""Wrong: looks inside the nested base, but not inside a model nested in that base, so a
BatchNormalization layer two models deep keeps training."""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    frozen = 0
    for layer in model.layers:
        inner = layer.layers if isinstance(layer, keras.Model) else [layer]
        for candidate in inner:
            if isinstance(candidate, keras.layers.BatchNormalization):
                candidate.trainable = False
                frozen += 1
    return frozen
