"""Wrong: recognises attention by its class name, `type(layer).__name__ == "MultiHeadAttention"`,
which misses a subclass of MultiHeadAttention (isinstance matches subclasses)."""
import keras


def freeze_attention(model: keras.Model) -> int:
    model.trainable = False
    model.trainable = True
    attention = [layer for layer in model._flatten_layers(include_self=False)
                 if type(layer).__name__ == "MultiHeadAttention"]
    for layer in attention:
        layer.trainable = False
    return sum(layer.count_params() for layer in attention)
