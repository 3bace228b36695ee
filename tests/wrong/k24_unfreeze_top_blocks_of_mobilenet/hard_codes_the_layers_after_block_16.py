"""Wrong: takes "the layers after block 16" to be Conv_1, Conv_1_bn and out_relu, by name, so the
classifier of a base built with include_top=True ("predictions") stays frozen."""
import re

import keras

AFTER_BLOCK_16 = ("Conv_1", "Conv_1_bn", "out_relu")


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    base.trainable = True
    for layer in base.layers:
        match = re.match(r"block_(\d+)_", layer.name)
        top = n > 0 and ((match and int(match.group(1)) > 16 - n) or layer.name in AFTER_BLOCK_16)
        layer.trainable = bool(top) and not isinstance(layer, keras.layers.BatchNormalization)
    return [layer.name for layer in base.layers if layer.trainable_weights]
