"""Reference solution for kata 24: unfreeze the top n blocks of a MobileNetV2, BatchNormalization
frozen."""
import re

import keras

BLOCKS = 16  # MobileNetV2's inverted-residual blocks: block_1 ... block_16
_BLOCK_NAME = re.compile(r"block_(\d+)_")


def _block_number(layer) -> int | None:
    match = _BLOCK_NAME.match(layer.name)
    return int(match.group(1)) if match else None


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= BLOCKS:
        raise ValueError(f"n must be between 0 and {BLOCKS} (MobileNetV2 has {BLOCKS} blocks), "
                         f"got {n}")
    # fine_tune_at, found by name: the first layer of block 17-n; with n = 0, past the last layer.
    first_block = BLOCKS + 1 - n
    fine_tune_at = next((index for index, layer in enumerate(base.layers)
                         if _block_number(layer) == first_block), len(base.layers))
    # A frozen base hides every layer's weights: its own flag first. On the TensorFlow backend this
    # is a no-op when the flag is already True, so every layer is set below, and each
    # BatchNormalization layer ends frozen.
    base.trainable = True
    for index, layer in enumerate(base.layers):
        layer.trainable = (index >= fine_tune_at
                           and not isinstance(layer, keras.layers.BatchNormalization))
    trained = {id(variable) for variable in base.trainable_weights}
    return [layer.name for layer in base.layers
            if any(id(variable) in trained for variable in layer.weights)]
