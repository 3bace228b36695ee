"""Wrong: "unfreezes everything" with model.trainable = True, which on the TensorFlow backend is a
silent no-op when the model's flag is already True: a layer frozen earlier stays frozen."""
import keras


def freeze_first_layers(model: keras.Model, n: int = 2) -> keras.Model:
    weighted = [layer for layer in model.layers if layer.weights]
    if not 0 <= n <= len(weighted):
        raise ValueError(n)
    model.trainable = True
    for layer in weighted[:n]:
        layer.trainable = False
    return model
