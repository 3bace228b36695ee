"""Right: the state also names the layers without weights (the input, Dropout), which the task
allows; and set_freeze_state unfreezes the models by toggling False then True before setting
every leaf."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    return {name: bool(layer.trainable) for name, layer in _walk(model, "")
            if not isinstance(layer, keras.Model)}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    layers = dict(_walk(model, ""))
    for name in state:
        if name not in layers or isinstance(layers[name], keras.Model):
            raise KeyError(name)
    for name, layer in [("", model), *layers.items()]:
        if isinstance(layer, keras.Model):
            layer.trainable = False
            layer.trainable = True
    for name, trainable in state.items():
        layers[name].trainable = trainable


def _walk(model, prefix):
    for layer in model.layers:
        yield f"{prefix}{layer.name}", layer
        if isinstance(layer, keras.Model):
            yield from _walk(layer, f"{prefix}{layer.name}/")
