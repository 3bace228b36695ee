"""Wrong: looks for attention layers in model.layers only, so it finds none inside a nested model
or a subclassed block."""
import keras


def freeze_attention(model: keras.Model) -> int:
    model.trainable = False
    model.trainable = True
    attention = [layer for layer in model.layers
                 if isinstance(layer, keras.layers.MultiHeadAttention)]
    for layer in attention:
        layer.trainable = False
    return sum(layer.count_params() for layer in attention)
