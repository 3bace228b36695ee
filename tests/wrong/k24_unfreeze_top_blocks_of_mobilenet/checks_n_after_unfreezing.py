"""Wrong: unfreezes the base first and checks n afterwards, so a wrong n raises ValueError but
leaves the base unfrozen."""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    base.trainable = False
    base.trainable = True
    if not 0 <= n <= 16:
        raise ValueError(n)
    names = [layer.name for layer in base.layers]
    cut = len(names) if n == 0 else next(i for i, name in enumerate(names)
                                         if name.startswith(f"block_{17 - n}_"))
    for index, layer in enumerate(base.layers):
        layer.trainable = (index >= cut
                           and not isinstance(layer, keras.layers.BatchNormalization))
    return [layer.name for layer in base.layers if layer.trainable_weights]
