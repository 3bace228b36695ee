"""Wrong: freezes every layer outside the head, then unfreezes the LoRA layers with
`layer.trainable = True` so that their factors train, and refreezes their biases: the flag,
changed from False to True, set the kernel's (embeddings') own flag True too."""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    if not model.trainable:
        model.trainable = True
    for layer in _every_layer(model):
        if isinstance(layer, keras.Model):
            continue
        if layer.name in head_names:
            layer.trainable = True
            for variable in layer.weights:
                variable.trainable = True
            continue
        layer.trainable = False
        if getattr(layer, "lora_enabled", False):
            layer.trainable = True
            for variable in layer.weights:
                if variable.name == "bias":
                    variable.trainable = False


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
