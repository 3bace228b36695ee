"""Wrong: records and restores only the layers in model.layers. A nested base is one entry
("base": True), so the individual freezes of the layers inside it are neither saved nor restored."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    return {layer.name: bool(layer.trainable) for layer in model.layers}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    model.trainable = True
    for layer in model.layers:
        if layer.name not in state:
            raise KeyError(layer.name)
        layer.trainable = state[layer.name]
