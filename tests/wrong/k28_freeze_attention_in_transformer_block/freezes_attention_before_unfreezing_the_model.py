"""Wrong: freezes the attention layers first, then sets the model False and True to unfreeze the
rest: that last assignment makes every layer inside trainable again, the attention included."""
import keras


def freeze_attention(model: keras.Model) -> int:
    attention = [layer for layer in model._flatten_layers(include_self=False)
                 if isinstance(layer, keras.layers.MultiHeadAttention)]
    for layer in attention:
        layer.trainable = False
    model.trainable = False
    model.trainable = True
    return sum(layer.count_params() for layer in attention)
