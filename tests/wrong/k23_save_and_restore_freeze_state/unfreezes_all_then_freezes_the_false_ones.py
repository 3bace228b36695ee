"""Wrong: unfreezes the whole model first (`model.trainable = False`, then `True`, so that the
flag really propagates), then sets only the layers whose saved flag is False. After reloading a
model saved frozen, that toggle does not reach the layers of the nested Sequential base: its own
flag came back True, so assigning True to it does nothing (TensorFlow backend) and its layers
stay frozen, the ones that should train included."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    return {name: bool(layer.trainable) for name, layer in _leaves(model, "") if layer.weights}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    leaves = dict(_leaves(model, ""))
    unknown = sorted(set(state) - set(leaves))
    if unknown:
        raise KeyError(", ".join(unknown))
    model.trainable = False
    model.trainable = True
    for name, trainable in state.items():
        if not trainable:
            leaves[name].trainable = False


def _leaves(model, prefix):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaves(layer, f"{prefix}{layer.name}/")
        else:
            yield f"{prefix}{layer.name}", layer
