"""Right: no layer index: every flag is decided from the layer's block number, read from its name,
after the base is set False then True (which resets every flag inside it)."""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if n not in range(17):
        raise ValueError(f"MobileNetV2 has 16 blocks: n must be 0 to 16, got {n}")
    base.trainable = False
    base.trainable = True
    past_block_16 = False
    for layer in base.layers:
        parts = layer.name.split("_")
        block = int(parts[1]) if parts[0] == "block" and parts[1].isdigit() else None
        if block == 16:
            past_block_16 = True
        on_top = n > 0 and ((block is not None and block >= 17 - n)
                            or (block is None and past_block_16))
        layer.trainable = on_top and not isinstance(layer, keras.layers.BatchNormalization)
    return [layer.name for layer in base.layers if layer.trainable_weights]
