"""Right: the tutorial's recipe as written, fine_tune_at found by name: unfreeze everything, freeze
base.layers[:fine_tune_at], then freeze every BatchNormalization layer. Each layer is set, so it
also works when base.trainable is already True."""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    if n < 0 or n > 16:
        raise ValueError(f"n must be between 0 and 16, got {n}")
    names = [layer.name for layer in base.layers]
    first = f"block_{17 - n}_"
    fine_tune_at = next((i for i, name in enumerate(names) if name.startswith(first)), len(names))
    if not base.trainable:
        base.trainable = True
    for layer in base.layers:
        layer.trainable = True
    for layer in base.layers[:fine_tune_at]:
        layer.trainable = False
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
    return [layer.name for layer in base.layers if layer.trainable_weights]
