"""Wrong: builds a new model with clone_model, which re-initialises the pretrained weights and
leaves the caller's model untouched."""
import keras


def freeze_first_layers(model: keras.Model, n: int = 2) -> keras.Model:
    clone = keras.models.clone_model(model)
    weighted = [layer for layer in clone.layers if layer.weights]
    if not 0 <= n <= len(weighted):
        raise ValueError(n)
    clone.trainable = True
    for index, layer in enumerate(weighted):
        layer.trainable = index >= n
    return clone
