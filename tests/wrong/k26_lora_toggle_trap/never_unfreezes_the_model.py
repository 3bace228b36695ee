"""Wrong: sets every variable's flag right, the head's included, but never unfreezes the model
itself: a model frozen as a whole trains nothing, whatever its variables' flags."""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    for layer in _every_layer(model):
        lora = getattr(layer, "lora_enabled", False)
        for variable in layer.weights:
            variable.trainable = layer.name in head_names or (
                lora and variable.name.startswith("lora_"))


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
