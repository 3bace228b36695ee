"""Wrong: sets every layer's flag but never the model's own, so a model that arrives with
model.trainable = False still trains nothing at all."""
import keras


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(layer_name)
    fine_tune_at = names.index(layer_name) + 1
    for index, layer in enumerate(model.layers):
        layer.trainable = index >= fine_tune_at
    return sum(1 for layer in model.layers[:fine_tune_at] if layer.weights)
