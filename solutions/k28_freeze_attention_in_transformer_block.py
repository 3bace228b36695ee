"""Reference solution for kata 28: freeze every attention layer of a Transformer, train the rest."""
import keras


def freeze_attention(model: keras.Model) -> int:
    # Every layer trainable first, at every depth: False then True always changes the flag, so
    # Keras passes it on to every layer inside (True alone is a no-op on a model already True).
    model.trainable = False
    model.trainable = True
    # Then the attention layers, found at any depth (inside nested models and subclassed blocks).
    # Freezing one freezes its query, key, value and output projections; nothing is set after this,
    # so nothing unfreezes them again.
    attention = [layer for layer in model._flatten_layers(include_self=False)
                 if isinstance(layer, keras.layers.MultiHeadAttention)]
    for layer in attention:
        layer.trainable = False
    return sum(layer.count_params() for layer in attention)
