"""Wrong: returns every layer whose flag is True after the cut, weightless ones included (ReLU,
Add, ZeroPadding2D), though fit() trains no weight of theirs."""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    names = [layer.name for layer in base.layers]
    cut = len(names) if n == 0 else next(i for i, name in enumerate(names)
                                         if name.startswith(f"block_{17 - n}_"))
    base.trainable = True
    for index, layer in enumerate(base.layers):
        layer.trainable = (index >= cut
                           and not isinstance(layer, keras.layers.BatchNormalization))
    return [layer.name for layer in base.layers if layer.trainable]
