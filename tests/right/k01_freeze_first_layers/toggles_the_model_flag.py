"""Right: unfreezes everything by setting the model's flag to False and then True (on the
TensorFlow backend True alone is skipped when the flag is already True; False then True reaches
every layer), then freezes the first n weighted layers."""
import keras


def freeze_first_layers(model: keras.Model, n: int = 2) -> keras.Model:
    weighted = [layer for layer in model.layers if len(layer.weights) > 0]
    if n < 0 or n > len(weighted):
        raise ValueError(f"n={n} is not between 0 and {len(weighted)}")
    model.trainable = False
    model.trainable = True
    for layer in weighted[:n]:
        layer.trainable = False
    return model
