"""Wrong: counts the attention parameters that were trainable before the call, so an attention
layer that arrived frozen is not counted."""
import math

import keras


def freeze_attention(model: keras.Model) -> int:
    attention = [layer for layer in model._flatten_layers(include_self=False)
                 if isinstance(layer, keras.layers.MultiHeadAttention)]
    newly_frozen = sum(math.prod(v.shape) for layer in attention
                       for v in layer.trainable_weights)
    model.trainable = False
    model.trainable = True
    for layer in attention:
        layer.trainable = False
    return int(newly_frozen)
