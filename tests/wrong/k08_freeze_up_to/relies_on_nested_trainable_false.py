"""Wrong: unfreezes the later entries throughout, but freezes an entry up to the cut with its own
flag only. A nested model whose flag is already False while one of its layers was unfrozen by hand
keeps that layer trainable (the assignment does nothing on the TensorFlow backend), and fit() trains
it."""
import keras


def _unfreeze_throughout(layer):
    layer.trainable = True
    if isinstance(layer, keras.Model):
        for inner in layer.layers:
            _unfreeze_throughout(inner)


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"no layer named {layer_name!r} in model.layers; the layers are {names}")
    fine_tune_at = names.index(layer_name) + 1
    model.trainable = True
    for index, layer in enumerate(model.layers):
        if index >= fine_tune_at:
            _unfreeze_throughout(layer)
        else:
            layer.trainable = False
    return sum(1 for layer in model.layers[:fine_tune_at] if layer.weights)
