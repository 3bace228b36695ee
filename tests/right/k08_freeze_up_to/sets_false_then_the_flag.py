"""Right: sets each entry's flag to the opposite value first, so that the assignment that follows
always changes the flag and Keras passes it on to every layer inside a nested model."""
import keras


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"{layer_name!r} is not one of {names}")
    cut = names.index(layer_name) + 1
    model.trainable = False
    model.trainable = True
    for index, layer in enumerate(model.layers):
        layer.trainable = index < cut
        layer.trainable = index >= cut
    return len([layer for layer in model.layers[:cut] if layer.weights])
