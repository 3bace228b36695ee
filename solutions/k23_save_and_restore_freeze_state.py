"""Reference solution for kata 23: save and restore which layers are frozen."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    # Keys are layer-name paths ("base/base_dense_1"): layer names are saved in the .keras file,
    # while variable paths lose their model-name prefix on reload. Layers without weights have
    # nothing to freeze, so they are left out.
    return {name: bool(layer.trainable) for name, layer in _leaves(model, "") if layer.weights}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    leaves = dict(_leaves(model, ""))
    unknown = sorted(set(state) - set(leaves))
    if unknown:
        raise KeyError(f"model {model.name!r} has no layer called {', '.join(unknown)}")
    # A frozen model hides its layers' weights from fit(): make every model trainable, then set
    # each leaf layer explicitly (on the TensorFlow backend, `trainable = True` on an
    # already-True model does nothing).
    for container in _models(model):
        container.trainable = True
    for name, trainable in state.items():
        leaves[name].trainable = bool(trainable)


def _models(model):
    """`model` and every model nested in it, parents first."""
    yield model
    for child in model.layers:
        if isinstance(child, keras.Model):
            yield from _models(child)


def _leaves(model, prefix):
    """(path, layer) for every layer that is not itself a model, searching nested models."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaves(layer, f"{prefix}{layer.name}/")
        else:
            yield f"{prefix}{layer.name}", layer
