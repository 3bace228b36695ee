"""Wrong: assumes the base arrives frozen: it unfreezes the top and freezes the BatchNormalization
layers, but never freezes the stem or the lower blocks, which stay trainable when they arrive
trainable."""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    names = [layer.name for layer in base.layers]
    cut = len(names) if n == 0 else next(i for i, name in enumerate(names)
                                         if name.startswith(f"block_{17 - n}_"))
    if not base.trainable:
        base.trainable = True
        for layer in base.layers:
            layer.trainable = False
    for layer in base.layers[cut:]:
        layer.trainable = True
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
    return [layer.name for layer in base.layers if layer.trainable_weights]
