"""Wrong: freezes the lower blocks by name prefix, `name.startswith(f"block_{k}")`: the prefix
"block_1" also matches block_10 to block_16, so the top blocks end frozen."""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    base.trainable = False
    base.trainable = True
    if n == 0:
        for layer in base.layers:
            layer.trainable = False
        return []
    frozen_prefixes = ("Conv1", "bn_Conv1", "expanded_conv",
                       *(f"block_{k}" for k in range(1, 17 - n)))
    for layer in base.layers:
        if (layer.name.startswith(frozen_prefixes)
                or isinstance(layer, keras.layers.BatchNormalization)):
            layer.trainable = False
    return [layer.name for layer in base.layers if layer.trainable_weights]
