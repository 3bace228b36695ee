"""Wrong: "unfreezes everything" with model.trainable = True and then freezes up to the cut. On the
TensorFlow backend that assignment is a silent no-op when the flag is already True, so a later layer
frozen before stays frozen."""
import keras


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(layer_name)
    fine_tune_at = names.index(layer_name) + 1
    model.trainable = True
    for layer in model.layers[:fine_tune_at]:
        layer.trainable = False
    return sum(1 for layer in model.layers[:fine_tune_at] if layer.weights)
