"""Right: freezes by variables, never by layer flags: every variable's own flag False, LoRA enabled
on the named layers as they are (on a frozen layer its factors come frozen), then the factors'
own flags True. fit() trains the variables whose own flag is True, in a model whose own flag is
True, whatever the flags of the layers in between. Names are looked up with a stack, not by
recursion."""
import keras
import numpy as np


def add_lora(model: keras.Model, rank: int, layer_names) -> int:
    if not isinstance(rank, (int, np.integer)) or isinstance(rank, bool) or rank < 1:
        raise ValueError(f"a LoRA rank is an integer of at least 1, not {rank!r}")
    by_name = {}
    stack = list(model.layers)
    while stack:
        layer = stack.pop()
        by_name.setdefault(layer.name, layer)
        if isinstance(layer, keras.Model):
            stack.extend(layer.layers)
    targets = []
    for name in layer_names:
        layer = by_name.get(name)
        if layer is None:
            raise ValueError(f"unknown layer {name!r}")
        if isinstance(layer, keras.Model) or not callable(getattr(layer, "enable_lora", None)):
            raise ValueError(f"{name!r} cannot take LoRA")
        if layer.lora_enabled:
            raise ValueError(f"{name!r} has LoRA already")
        targets.append(layer)
    if not model.trainable:
        model.trainable = True
    for variable in model.weights:
        variable.trainable = False
    for layer in targets:
        layer.enable_lora(rank)
        for variable in layer.weights:
            if variable.name.startswith("lora_"):
                variable.trainable = True
    return int(sum(np.prod(v.shape) for v in model.trainable_weights))
