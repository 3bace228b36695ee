"""Reference solution for kata 8: the fine_tune_at recipe, with the cut given by name."""
import keras


def _set_throughout(layer, trainable: bool) -> None:
    """Set the flag of `layer` and, when it is a nested model, of every layer inside it. On the
    TensorFlow backend `layer.trainable = value` does nothing when the flag already has that value,
    so a nested model's own assignment cannot be trusted to reach its layers."""
    layer.trainable = trainable
    if isinstance(layer, keras.Model):
        for inner in layer.layers:
            _set_throughout(inner, trainable)


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"no layer named {layer_name!r} in model.layers; the layers are {names}")
    fine_tune_at = names.index(layer_name) + 1
    # A frozen model hides every layer's weights, so the model's own flag first; then every entry,
    # and everything inside a nested one, explicitly.
    model.trainable = True
    for index, layer in enumerate(model.layers):
        _set_throughout(layer, index >= fine_tune_at)
    return sum(1 for layer in model.layers[:fine_tune_at] if layer.weights)
