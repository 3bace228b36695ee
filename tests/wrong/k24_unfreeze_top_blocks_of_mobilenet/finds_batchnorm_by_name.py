"""Wrong: finds the BatchNormalization layers by the "_BN" in their names, which misses bn_Conv1 and
Conv_1_bn: Conv_1_bn, after block 16, is left trainable."""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    names = [layer.name for layer in base.layers]
    cut = len(names) if n == 0 else next(i for i, name in enumerate(names)
                                         if name.startswith(f"block_{17 - n}_"))
    base.trainable = True
    for index, layer in enumerate(base.layers):
        layer.trainable = index >= cut and "_BN" not in layer.name
    return [layer.name for layer in base.layers if layer.trainable_weights]
