"""Reference solution for kata 2: unfreeze only the top k layers of a pretrained base."""
import keras


def unfreeze_top_layers(base: keras.Model, k: int) -> keras.Model:
    weighted = [layer for layer in base.layers if layer.weights]
    if not 0 <= k <= len(weighted):
        raise ValueError(f"k must be between 0 and {len(weighted)}, got {k}")
    # A frozen base hides every layer's weights, and on the TensorFlow backend
    # `base.trainable = True` is a silent no-op when the flag is already True: so set the base,
    # then every weighted layer explicitly.
    base.trainable = True
    first_trained = len(weighted) - k
    for index, layer in enumerate(weighted):
        layer.trainable = index >= first_trained
    return base
