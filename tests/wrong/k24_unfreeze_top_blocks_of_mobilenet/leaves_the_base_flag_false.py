"""Wrong: sets every layer's flag but never the base's own: a base that arrives frozen keeps
base.trainable False, and base.trainable_weights stays empty, so fit() on the base trains
nothing."""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    names = [layer.name for layer in base.layers]
    cut = len(names) if n == 0 else next(i for i, name in enumerate(names)
                                         if name.startswith(f"block_{17 - n}_"))
    for index, layer in enumerate(base.layers):
        layer.trainable = (index >= cut
                           and not isinstance(layer, keras.layers.BatchNormalization))
    return [layer.name for layer in base.layers[cut:]
            if layer.weights and layer.trainable]
