"""Wrong: sets the flag of every layer inside the model but never the model's own: a model that
arrives frozen (model.trainable = False) keeps every weight out of model.trainable_weights."""
import keras


def freeze_attention(model: keras.Model) -> int:
    inside = model._flatten_layers(include_self=False)
    for layer in inside:
        layer.trainable = True
    attention = [layer for layer in inside if isinstance(layer, keras.layers.MultiHeadAttention)]
    for layer in attention:
        layer.trainable = False
    return sum(layer.count_params() for layer in attention)
