"""Reference solution for kata 26: unfreeze a new head without undoing enable_lora's freeze."""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    # The bug: `model.trainable = False` then `True` assigns True to every layer's flag, and a
    # layer's flag, when it changes, sets the flag of each of its variables: the kernels that
    # enable_lora froze (and the biases) became trainable again. So the flags are set here on the
    # variables themselves, last, where no layer flag can overwrite them.
    #
    # A frozen model trains nothing whatever its variables say: unfreeze it first. Assigning
    # True reaches every layer only when the flag was False; every variable is set below anyway.
    if not model.trainable:
        model.trainable = True
    head = [model.get_layer(name) for name in head_names]
    for layer in _every_layer(model):
        lora = getattr(layer, "lora_enabled", False)
        for variable in layer.weights:
            variable.trainable = lora and variable.name.startswith("lora_")
    for layer in head:
        # A head layer may arrive with its flag True and its variables frozen one by one: then
        # `layer.trainable = True` is a no-op (the value it already has). Set the variables.
        layer.trainable = True
        for variable in layer.weights:
            variable.trainable = True


def _every_layer(model: keras.Model):
    """The layers of `model`, and the layers of every model nested in it, parents first."""
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
