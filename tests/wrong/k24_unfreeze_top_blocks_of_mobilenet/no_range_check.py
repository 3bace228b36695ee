"""Wrong: no range check: n = 17 unfreezes every block as n = 16 would, and n = -1 freezes the
whole base, without a word."""
import re

import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    base.trainable = False
    base.trainable = True
    seen_block_16 = False
    for layer in base.layers:
        match = re.match(r"block_(\d+)_", layer.name)
        block = int(match.group(1)) if match else None
        seen_block_16 = seen_block_16 or block == 16
        top = n > 0 and ((block or 0) > 16 - n or (seen_block_16 and block is None))
        layer.trainable = top and not isinstance(layer, keras.layers.BatchNormalization)
    return [layer.name for layer in base.layers if layer.trainable_weights]
