"""Wrong: records every leaf layer correctly, but set_freeze_state changes nothing, trusting that
the .keras file already carries the flags. It carries the flags of the moment of saving, and
`base.trainable = False`/`True` erases them in memory."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    return {name: bool(layer.trainable) for name, layer in _leaves(model, "") if layer.weights}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    pass  # the flags were saved in the .keras file


def _leaves(model, prefix):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaves(layer, f"{prefix}{layer.name}/")
        else:
            yield f"{prefix}{layer.name}", layer
