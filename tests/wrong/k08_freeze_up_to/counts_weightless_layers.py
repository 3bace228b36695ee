"""Wrong: returns how many entries of model.layers were frozen, counting InputLayer, Dropout and
Flatten, which own no weights."""
import keras


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(layer_name)
    fine_tune_at = names.index(layer_name) + 1
    model.trainable = True
    for index, layer in enumerate(model.layers):
        layer.trainable = index >= fine_tune_at
    return fine_tune_at
