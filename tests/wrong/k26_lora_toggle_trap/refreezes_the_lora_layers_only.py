"""Wrong: keeps the colleague's toggle, sets the LoRA layers' variables right (factors only) and
unfreezes the head, but forgets to freeze the other layers again: the toggle unfroze them
(here the LayerNormalization)."""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    model.trainable = False
    model.trainable = True
    for layer in _every_layer(model):
        if getattr(layer, "lora_enabled", False):
            for variable in layer.weights:
                variable.trainable = variable.name.startswith("lora_")


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
