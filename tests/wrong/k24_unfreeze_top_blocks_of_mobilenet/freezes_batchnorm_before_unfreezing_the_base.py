"""Wrong: freezes the BatchNormalization layers first and unfreezes the base after: on a base that
arrives frozen, `base.trainable = True` makes every layer inside it trainable again, the
BatchNormalization layers of the top blocks included."""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    names = [layer.name for layer in base.layers]
    cut = len(names) if n == 0 else next(i for i, name in enumerate(names)
                                         if name.startswith(f"block_{17 - n}_"))
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
    base.trainable = True
    for layer in base.layers[:cut]:
        layer.trainable = False
    for layer in base.layers[cut:]:
        if not isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = True
    return [layer.name for layer in base.layers if layer.trainable_weights]
