"""Wrong: counts the weighted layers inside a frozen nested model one by one; the count is of the
entries of model.layers, where a nested model is one entry."""
import keras


def _set_throughout(layer, trainable):
    layer.trainable = trainable
    if isinstance(layer, keras.Model):
        for inner in layer.layers:
            _set_throughout(inner, trainable)


def _weighted_leaves(layer):
    if isinstance(layer, keras.Model):
        return sum(_weighted_leaves(inner) for inner in layer.layers)
    return 1 if layer.weights else 0


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"no layer named {layer_name!r} in model.layers; the layers are {names}")
    fine_tune_at = names.index(layer_name) + 1
    model.trainable = True
    for index, layer in enumerate(model.layers):
        _set_throughout(layer, index >= fine_tune_at)
    return sum(_weighted_leaves(layer) for layer in model.layers[:fine_tune_at])
