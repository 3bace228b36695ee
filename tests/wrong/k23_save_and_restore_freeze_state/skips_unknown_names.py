"""Wrong: restores correctly, but silently skips a name that matches no layer. A typo, or a state
saved from another architecture, then restores nothing for that layer without a word."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    return {name: bool(layer.trainable) for name, layer in _leaves(model, "") if layer.weights}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    leaves = dict(_leaves(model, ""))
    for container in _models(model):
        container.trainable = True
    for name, trainable in state.items():
        if name in leaves:
            leaves[name].trainable = bool(trainable)


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
