"""Wrong: unfreezes with `model.trainable = True`, which does nothing when the model's own flag is
already True: layers frozen one by one stay frozen."""
import keras


def freeze_attention(model: keras.Model) -> int:
    model.trainable = True
    attention = [layer for layer in model._flatten_layers(include_self=False)
                 if isinstance(layer, keras.layers.MultiHeadAttention)]
    for layer in attention:
        layer.trainable = False
    return sum(layer.count_params() for layer in attention)
