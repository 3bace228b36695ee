"""Wrong: checks only that the rank is at least 1, so a rank of 1.5 gets through to enable_lora,
which fails on it only after the flags of the model have changed."""
import math

import keras


def add_lora(model: keras.Model, rank: int, layer_names) -> int:
    # enable_lora cannot be undone: check every argument before changing anything.
    if rank < 1:  # a rank of 1.5 gets through
        raise ValueError(f"rank must be at least 1, got {rank!r}")
    layers = _every_layer(model)
    targets = []
    for name in layer_names:
        found = [layer for layer in layers if layer.name == name]
        if not found:
            raise ValueError(f"no layer named {name!r} in the model or in a model nested in it")
        layer = found[0]
        if not hasattr(layer, "enable_lora") or isinstance(layer, keras.Model):
            raise ValueError(f"layer {name!r} ({type(layer).__name__}) has no enable_lora")
        if getattr(layer, "lora_enabled", False):
            raise ValueError(f"layer {name!r} already has LoRA enabled")
        targets.append(layer)

    # Every model (the outer one and the nested ones) trainable as a container, so that its
    # layers' own flags decide; then every other layer frozen. `model.trainable = True` reaches
    # the layers only when the flag was False, which is fine: each layer is set below anyway.
    for layer in [model, *layers]:
        if isinstance(layer, keras.Model):
            layer.trainable = True
    for layer in layers:
        if not isinstance(layer, keras.Model):
            layer.trainable = False
    for layer in targets:
        # Unfreeze first: on a frozen layer enable_lora creates frozen factors, and unfreezing
        # the layer afterwards would make its kernel trainable again.
        layer.trainable = True
        layer.enable_lora(rank)
        for variable in layer.weights:  # the bias too: only the factors train
            variable.trainable = variable.name.startswith("lora_")
    return sum(math.prod(v.shape) for v in model.trainable_weights)


def _every_layer(model: keras.Model) -> list:
    """The layers of `model` and of every model nested in it, parents first."""
    found = []
    for layer in model.layers:
        found.append(layer)
        if isinstance(layer, keras.Model):
            found.extend(_every_layer(layer))
    return found
