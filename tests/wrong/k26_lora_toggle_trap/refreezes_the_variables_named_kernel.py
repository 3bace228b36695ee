"""Wrong: keeps the colleague's toggle and then refreezes, in every LoRA layer, the variables named
kernel and bias: an Embedding's pretrained table is named embeddings, and it trains."""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    model.trainable = False
    model.trainable = True
    for layer in _every_layer(model):
        if isinstance(layer, keras.Model) or layer.name in head_names:
            continue
        if getattr(layer, "lora_enabled", False):
            for variable in layer.weights:
                if variable.name in ("kernel", "bias"):
                    variable.trainable = False
        else:
            layer.trainable = False


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
