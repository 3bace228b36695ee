"""Wrong: takes "train the feed-forward part" to mean "train the Dense layers": it freezes every
other layer, so the LayerNormalization layers are frozen too."""
import keras


def freeze_attention(model: keras.Model) -> int:
    model.trainable = False
    model.trainable = True
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.LayerNormalization):
            layer.trainable = False
    attention = [layer for layer in model._flatten_layers(include_self=False)
                 if isinstance(layer, keras.layers.MultiHeadAttention)]
    for layer in attention:
        layer.trainable = False
    return sum(layer.count_params() for layer in attention)
