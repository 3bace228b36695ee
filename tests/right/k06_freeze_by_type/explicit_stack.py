"""Right: an explicit stack instead of recursion (pushed in reverse, so popped in model order), and
`issubclass(type(layer), ...)`, which accepts a class or a tuple like isinstance."""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    names = []
    stack = list(reversed(model.layers))
    while stack:
        layer = stack.pop()
        if isinstance(layer, keras.Model):
            stack.extend(reversed(layer.layers))
        elif issubclass(type(layer), layer_types):
            layer.trainable = False
            names.append(layer.name)
    return names
