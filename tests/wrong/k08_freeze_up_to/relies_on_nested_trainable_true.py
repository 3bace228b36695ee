"""Wrong: sets each entry's own flag, so a later entry that is a nested model gets
`nested.trainable = True`. When that flag is already True while the layers inside are frozen (say,
frozen one by one earlier), the assignment does nothing on the TensorFlow backend, and the nested
base's layers stay frozen."""
import keras


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"no layer named {layer_name!r} in model.layers; the layers are {names}")
    fine_tune_at = names.index(layer_name) + 1
    model.trainable = True
    for index, layer in enumerate(model.layers):
        layer.trainable = index >= fine_tune_at
    return sum(1 for layer in model.layers[:fine_tune_at] if layer.weights)
