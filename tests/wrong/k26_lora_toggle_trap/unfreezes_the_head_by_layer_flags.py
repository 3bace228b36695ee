"""Wrong: sets every variable's flag right, but unfreezes the head with `layer.trainable = True`
alone: on a head layer frozen by its variables while its flag is still True, that assignment is
a no-op (the value it already has), so that layer never trains."""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    if not model.trainable:
        model.trainable = True
    for layer in _every_layer(model):
        lora = getattr(layer, "lora_enabled", False)
        for variable in layer.weights:
            variable.trainable = lora and variable.name.startswith("lora_")
    for name in head_names:
        model.get_layer(name).trainable = True


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
