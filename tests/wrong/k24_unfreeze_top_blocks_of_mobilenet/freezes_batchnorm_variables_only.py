"""Wrong: keeps gamma and beta out of training by freezing the BatchNormalization layers'
variables (`variable.trainable = False`) instead of the layers: each layer's own flag stays True,
so it runs in training mode and fit() updates its moving mean and variance."""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if not 0 <= n <= 16:
        raise ValueError(n)
    names = [layer.name for layer in base.layers]
    cut = len(names) if n == 0 else next(i for i, name in enumerate(names)
                                         if name.startswith(f"block_{17 - n}_"))
    base.trainable = True
    for index, layer in enumerate(base.layers):
        layer.trainable = index >= cut
        if isinstance(layer, keras.layers.BatchNormalization):
            for variable in layer.weights:
                variable.trainable = False
    return [layer.name for layer in base.layers if layer.trainable_weights]
