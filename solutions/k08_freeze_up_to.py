"""Reference solution for kata 8: the fine_tune_at recipe, with the cut given by name."""
import keras


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"no layer named {layer_name!r} in model.layers; the layers are {names}")
    fine_tune_at = names.index(layer_name) + 1
    # A frozen model hides every layer's weights, and `model.trainable = True` is a silent no-op
    # when the flag is already True: so set the model, then every layer explicitly.
    model.trainable = True
    for index, layer in enumerate(model.layers):
        layer.trainable = index >= fine_tune_at
    return sum(1 for layer in model.layers[:fine_tune_at] if layer.weights)
