"""Wrong: returns the number of attention variables (8 per layer: four kernels, four biases)
instead of the number of parameters."""
import keras


def freeze_attention(model: keras.Model) -> int:
    model.trainable = False
    model.trainable = True
    attention = [layer for layer in model._flatten_layers(include_self=False)
                 if isinstance(layer, keras.layers.MultiHeadAttention)]
    for layer in attention:
        layer.trainable = False
    return sum(len(layer.weights) for layer in attention)
