"""Reference solution for kata 1: freeze the first layers that own weights."""
import keras


def freeze_first_layers(model: keras.Model, n: int = 2) -> keras.Model:
    weighted = [layer for layer in model.layers if layer.weights]
    if not 0 <= n <= len(weighted):
        raise ValueError(f"n must be between 0 and {len(weighted)}, got {n}")
    # A frozen model hides every child's weights, and on the TensorFlow backend
    # `model.trainable = True` is a silent no-op when the flag is already True: so set the model,
    # then every weighted layer explicitly.
    model.trainable = True
    for index, layer in enumerate(weighted):
        layer.trainable = index >= n
    return model
