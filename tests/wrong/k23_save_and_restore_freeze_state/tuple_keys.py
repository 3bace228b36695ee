"""Wrong: keys the state by tuples of layer names, ("base", "base_dense_1"). A dict with tuple
keys is not JSON: json.dumps raises "keys must be str, int, float, bool or None"."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    return {path: bool(layer.trainable) for path, layer in _leaves(model, ()) if layer.weights}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    leaves = dict(_leaves(model, ()))
    for container in _models(model):
        container.trainable = True
    for path, trainable in state.items():
        leaves[tuple(path)].trainable = bool(trainable)


def _models(model):
    yield model
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _models(layer)


def _leaves(model, prefix):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaves(layer, (*prefix, layer.name))
        else:
            yield (*prefix, layer.name), layer
