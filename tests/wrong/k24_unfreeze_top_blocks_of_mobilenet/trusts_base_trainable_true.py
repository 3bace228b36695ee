"""Wrong: unfreezes with `base.trainable = True`, then freezes the layers below the cut and the
BatchNormalization layers. When the base's own flag is already True that assignment does nothing,
so top layers frozen one by one stay frozen."""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    names = [layer.name for layer in base.layers]
    cut = len(names) if n == 0 else next(i for i, name in enumerate(names)
                                         if name.startswith(f"block_{17 - n}_"))
    base.trainable = True
    for layer in base.layers[:cut]:
        layer.trainable = False
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
    return [layer.name for layer in base.layers if layer.trainable_weights]
