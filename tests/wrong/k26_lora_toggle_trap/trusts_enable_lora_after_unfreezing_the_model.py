"""Wrong: unfreezes a frozen model with `model.trainable = True`, freezes the other layers and
the LoRA layers' biases, and trusts enable_lora for the kernels: but on a model whose flag was
False, `model.trainable = True` sets every layer's flag, and so every variable's, the LoRA
kernels and embeddings included."""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    model.trainable = True
    for layer in _every_layer(model):
        if isinstance(layer, keras.Model):
            continue
        if layer.name in head_names:
            layer.trainable = True
            for variable in layer.weights:
                variable.trainable = True
        elif getattr(layer, "lora_enabled", False):
            for variable in layer.weights:
                if variable.name == "bias":
                    variable.trainable = False
        else:
            layer.trainable = False
            for variable in layer.weights:
                variable.trainable = False


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
