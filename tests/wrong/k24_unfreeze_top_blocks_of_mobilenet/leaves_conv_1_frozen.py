"""Wrong: unfreezes only the layers named block_<k>_..., so Conv_1, the convolution after block 16,
stays frozen (and so would a classifier)."""
import re

import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    base.trainable = True
    for layer in base.layers:
        match = re.match(r"block_(\d+)_", layer.name)
        layer.trainable = bool(match and int(match.group(1)) > 16 - n
                               and not isinstance(layer, keras.layers.BatchNormalization))
    return [layer.name for layer in base.layers if layer.trainable_weights]
