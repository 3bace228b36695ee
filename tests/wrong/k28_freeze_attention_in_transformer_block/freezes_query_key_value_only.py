"""Wrong: freezes the query, key and value projections of each attention layer, but not its output
projection, which goes on training."""
import keras


def freeze_attention(model: keras.Model) -> int:
    model.trainable = False
    model.trainable = True
    attention = [layer for layer in model._flatten_layers(include_self=False)
                 if isinstance(layer, keras.layers.MultiHeadAttention)]
    for layer in attention:
        for projection in (layer.query_dense, layer.key_dense, layer.value_dense):
            projection.trainable = False
    return sum(layer.count_params() for layer in attention)
