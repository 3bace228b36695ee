"""Wrong: collects the trained layers' names in a set and returns them sorted: alphabetical order
("Conv_1" before "block_14_depthwise"), not the order of base.layers."""
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
    trained = {id(v) for v in base.trainable_weights}
    return sorted({layer.name for layer in base.layers
                   if any(id(v) in trained for v in layer.weights)})
