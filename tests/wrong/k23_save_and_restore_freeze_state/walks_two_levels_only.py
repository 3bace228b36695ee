"""Wrong: looks one level into the nested models of `model`, but not deeper: a block nested inside
the base becomes one entry ("base/block"), so the individual freezes of the layers inside it are
neither saved nor restored."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    return {name: bool(layer.trainable) for name, layer in _entries(model) if layer.weights}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    entries = dict(_entries(model))
    unknown = sorted(set(state) - set(entries))
    if unknown:
        raise KeyError(", ".join(unknown))
    for layer in [model, *(layer for layer in model.layers if isinstance(layer, keras.Model))]:
        layer.trainable = True
    for name, trainable in state.items():
        entries[name].trainable = bool(trainable)


def _entries(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            for inner in layer.layers:
                yield f"{layer.name}/{inner.name}", inner
        else:
            yield layer.name, layer
