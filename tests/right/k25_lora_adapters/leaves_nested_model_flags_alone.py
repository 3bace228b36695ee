"""Right: leaves a nested model's own flag as it came, False included, and unfreezes only the outer
model: fit() trains the variables whose own flag is True in a model whose flag is True, whatever
the flag of a nested model in between."""
import math

import keras


def add_lora(model: keras.Model, rank: int, layer_names) -> int:
    if not isinstance(rank, int) or rank < 1:
        raise ValueError(f"rank must be an integer of at least 1, got {rank}")
    layers = _every_layer(model)
    targets = [_target(layers, name) for name in layer_names]
    model.trainable = True
    for layer in layers:
        if not isinstance(layer, keras.Model):
            layer.trainable = False
    for layer in targets:
        layer.trainable = True
        layer.enable_lora(rank)
        for variable in layer.weights:
            variable.trainable = variable.name.startswith("lora_")
    return sum(math.prod(v.shape) for v in model.trainable_weights)


def _target(layers, name):
    found = [layer for layer in layers if layer.name == name]
    if (not found or not hasattr(found[0], "enable_lora")
            or getattr(found[0], "lora_enabled", False)):
        raise ValueError(f"cannot enable LoRA on {name!r}")
    return found[0]


def _every_layer(model):
    found = []
    for layer in model.layers:
        found.append(layer)
        if isinstance(layer, keras.Model):
            found.extend(_every_layer(layer))
    return found
