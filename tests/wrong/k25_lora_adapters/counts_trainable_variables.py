"""Wrong: returns how many variables fit() trains (len(model.trainable_weights)), not how many
scalars."""
import math

import keras


def add_lora(model: keras.Model, rank: int, layer_names) -> int:
    if rank < 1:
        raise ValueError(f"rank must be at least 1, got {rank}")
    layers = _every_layer(model)
    targets = [_target(layers, name) for name in layer_names]
    for layer in [model, *layers]:
        if isinstance(layer, keras.Model):
            layer.trainable = True
    for layer in layers:
        if not isinstance(layer, keras.Model):
            layer.trainable = False
    for layer in targets:
        layer.trainable = True
        layer.enable_lora(rank)
        for variable in layer.weights:
            variable.trainable = variable.name.startswith("lora_")
    return len(model.trainable_weights)


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
