"""Wrong: restores layer by layer and lets the lookup of an unknown name raise KeyError, midway:
the flags set before it stay changed, and the model is left half restored."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    return {name: bool(layer.trainable) for name, layer in _leaves(model, "") if layer.weights}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    leaves = dict(_leaves(model, ""))
    for container in _models(model):
        container.trainable = True
    for name, trainable in state.items():
        leaves[name].trainable = bool(trainable)  # KeyError for an unknown name


def _models(model):
    yield model
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _models(layer)


def _leaves(model, prefix):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaves(layer, f"{prefix}{layer.name}/")
        else:
            yield f"{prefix}{layer.name}", layer
