"""Wrong: takes every layer of the model itself that is not a nested model for the head (the base
being the nested model), instead of the layers named in head_names: a layer outside the base
that is not in the head trains too."""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    if not model.trainable:
        model.trainable = True
    for layer in _every_layer(model):
        lora = getattr(layer, "lora_enabled", False)
        for variable in layer.weights:
            variable.trainable = lora and variable.name.startswith("lora_")
    for layer in model.layers:
        if not isinstance(layer, keras.Model):
            for variable in layer.weights:
                variable.trainable = True


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
