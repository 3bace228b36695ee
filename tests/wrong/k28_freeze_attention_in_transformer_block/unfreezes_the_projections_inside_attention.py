"""Wrong: one loop over every layer at any depth, `layer.trainable = not an attention layer`: the
attention layer is frozen, then the loop reaches its projections (EinsumDense layers, not
attention) and makes them trainable again. attention.trainable_weights is [], yet fit() trains
the projections."""
import keras


def freeze_attention(model: keras.Model) -> int:
    model.trainable = True
    count = 0
    for layer in model._flatten_layers(include_self=False):
        is_attention = isinstance(layer, keras.layers.MultiHeadAttention)
        layer.trainable = not is_attention
        if is_attention:
            count += layer.count_params()
    return count
