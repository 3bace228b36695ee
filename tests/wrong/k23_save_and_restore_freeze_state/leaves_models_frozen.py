"""Wrong: sets every leaf layer's flag but not the flags of the models around them. A model with
`trainable = False` reports no trainable weights whatever its layers say, so a model that was
saved frozen trains nothing after the restore."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    return {name: bool(layer.trainable) for name, layer in _leaves(model, "") if layer.weights}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    leaves = dict(_leaves(model, ""))
    unknown = sorted(set(state) - set(leaves))
    if unknown:
        raise KeyError(", ".join(unknown))
    for name, trainable in state.items():
        leaves[name].trainable = bool(trainable)


def _leaves(model, prefix):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaves(layer, f"{prefix}{layer.name}/")
        else:
            yield f"{prefix}{layer.name}", layer
