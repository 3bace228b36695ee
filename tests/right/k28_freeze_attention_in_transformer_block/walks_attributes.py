"""Right: no private method: it finds the layers inside a model through model.layers and the
layers inside a subclassed layer through its attributes (vars()), then unfreezes everything with
False then True and freezes each attention layer found."""
import keras


def _inside(layer, seen):
    children = list(layer.layers) if isinstance(layer, keras.Model) else [
        value for value in vars(layer).values() if isinstance(value, keras.layers.Layer)]
    for child in children:
        if id(child) not in seen:
            seen.add(id(child))
            yield child
            yield from _inside(child, seen)


def freeze_attention(model: keras.Model) -> int:
    model.trainable = False
    model.trainable = True
    total = 0
    for layer in _inside(model, set()):
        if isinstance(layer, keras.layers.MultiHeadAttention):
            layer.trainable = False
            total += layer.count_params()
    return total
