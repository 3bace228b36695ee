"""Wrong: unfreezes blocks 1 to n (the bottom of the network, its generic features) and the layers
after block 16, instead of the last n blocks."""
import re

import keras


def _block(layer):
    match = re.match(r"block_(\d+)_", layer.name)
    return int(match.group(1)) if match else None


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    last_of_block_16 = max(i for i, layer in enumerate(base.layers) if _block(layer) == 16)
    base.trainable = True
    for index, layer in enumerate(base.layers):
        block = _block(layer)
        chosen = n > 0 and ((block is not None and block <= n) or index > last_of_block_16)
        layer.trainable = chosen and not isinstance(layer, keras.layers.BatchNormalization)
    return [layer.name for layer in base.layers if layer.trainable_weights]
