"""Wrong: takes "frozen" to mean "fixed" and switches the frozen attention's dropout off, so the
attention no longer drops anything in training mode: freezing is not inference."""
import keras


def freeze_attention(model: keras.Model) -> int:
    model.trainable = False
    model.trainable = True
    attention = [layer for layer in model._flatten_layers(include_self=False)
                 if isinstance(layer, keras.layers.MultiHeadAttention)]
    for layer in attention:
        layer.trainable = False
        layer._dropout_layer.rate = 0.0  # "a frozen attention layer should be deterministic"
    return sum(layer.count_params() for layer in attention)
