"""Wrong: takes the top blocks as `blocks[-n:]`: with n = 0 that slice is the whole list, so every
block (and Conv_1) is unfrozen instead of none."""
import re

import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    blocks = list(range(1, 17))
    top = set(blocks[-n:])
    base.trainable = False
    base.trainable = True
    seen_block_16 = False
    for layer in base.layers:
        match = re.match(r"block_(\d+)_", layer.name)
        block = int(match.group(1)) if match else None
        seen_block_16 = seen_block_16 or block == 16
        after_16 = seen_block_16 and block is None
        layer.trainable = ((block in top or after_16)
                           and not isinstance(layer, keras.layers.BatchNormalization))
    return [layer.name for layer in base.layers if layer.trainable_weights]
