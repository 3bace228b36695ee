"""Wrong: unfreezes the model and the head, and freezes every other layer by its flag, the LoRA
layers included: their factors freeze with them and never train."""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    if not model.trainable:
        model.trainable = True
    for layer in _every_layer(model):
        if isinstance(layer, keras.Model):
            continue
        if layer.name in head_names:
            layer.trainable = True
            for variable in layer.weights:
                variable.trainable = True
        else:
            layer.trainable = False
            for variable in layer.weights:
                variable.trainable = False


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
