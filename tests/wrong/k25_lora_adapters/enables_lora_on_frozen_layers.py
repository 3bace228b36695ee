"""Wrong: enables LoRA on a named layer as it comes and freezes its bias: on a layer that arrived
frozen, enable_lora creates frozen factors, which never train."""
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
    named = {id(layer) for layer in targets}
    for layer in layers:
        if not isinstance(layer, keras.Model) and id(layer) not in named:
            layer.trainable = False
    for layer in targets:
        layer.enable_lora(rank)  # freezes the kernel (embeddings); the bias is frozen here
        for variable in layer.weights:
            if variable.name == "bias":
                variable.trainable = False
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
