"""Wrong: stops at the first attention layer it finds, as if a model had one: in a stack of blocks
the other blocks' attention goes on training."""
import keras


def freeze_attention(model: keras.Model) -> int:
    model.trainable = False
    model.trainable = True
    everywhere = [layer for layer in model._flatten_layers(include_self=False)
                  if isinstance(layer, keras.layers.MultiHeadAttention)]
    first = next(iter(everywhere), None)
    if first is not None:
        first.trainable = False
    return sum(layer.count_params() for layer in everywhere)
