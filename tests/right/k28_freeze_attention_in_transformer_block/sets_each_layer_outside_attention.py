"""Right: no model-wide toggle: a walk sets every layer's flag itself, the model's and the
containers' included, and stops at an attention layer, which it freezes as a whole (its projections
with it)."""
import keras


def _set(layer, found):
    if isinstance(layer, keras.layers.MultiHeadAttention):
        layer.trainable = True  # a flag already False would be a no-op: True then False
        layer.trainable = False
        found.append(layer)
        return
    layer.trainable = True
    for inner in layer._flatten_layers(include_self=False, recursive=False):
        _set(inner, found)


def freeze_attention(model: keras.Model) -> int:
    found = []
    _set(model, found)
    return sum(layer.count_params() for layer in found)
