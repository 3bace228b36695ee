"""Wrong: keys the state by variable path ("base/base_dense_1/kernel"). Paths are not saved in the
.keras file: a reloaded model's nested variables lose the "base/" prefix, so the saved keys no
longer match and the restore silently skips every layer of the base."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    return {variable.path: bool(layer.trainable)
            for layer in _leaves(model) for variable in layer.weights}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    for container in _models(model):
        container.trainable = True
    for layer in _leaves(model):
        for variable in layer.weights:
            if variable.path in state:
                layer.trainable = state[variable.path]


def _models(model):
    yield model
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _models(layer)


def _leaves(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaves(layer)
        else:
            yield layer
