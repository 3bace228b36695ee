"""Wrong: an unknown name (a typo) silently freezes nothing instead of raising ValueError."""
import keras


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    names = [layer.name for layer in model.layers]
    fine_tune_at = names.index(layer_name) + 1 if layer_name in names else 0
    model.trainable = True
    for index, layer in enumerate(model.layers):
        layer.trainable = index >= fine_tune_at
    return sum(1 for layer in model.layers[:fine_tune_at] if layer.weights)
