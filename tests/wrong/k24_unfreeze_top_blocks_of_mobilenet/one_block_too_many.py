"""Wrong: off by one: unfreezes the blocks numbered 16-n and up, n+1 blocks instead of n."""
import re

import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    numbers = [int(m.group(1)) if (m := re.match(r"block_(\d+)_", layer.name)) else None
               for layer in base.layers]
    start = len(base.layers) if n == 0 else numbers.index(max(16 - n, 1))
    base.trainable = True
    for index, layer in enumerate(base.layers):
        layer.trainable = (index >= start
                           and not isinstance(layer, keras.layers.BatchNormalization))
    return [layer.name for layer in base.layers if layer.trainable_weights]
