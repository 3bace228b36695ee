"""Wrong: looks the name up in the nested models too and freezes the whole nested model that holds
it, so a cut inside the base freezes all of the base and the head after it trains alone."""
import keras


def _contains(layer, name):
    if layer.name == name:
        return True
    return isinstance(layer, keras.Model) and any(_contains(inner, name) for inner in layer.layers)


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    holders = [index for index, layer in enumerate(model.layers) if _contains(layer, layer_name)]
    if not holders:
        raise ValueError(layer_name)
    fine_tune_at = holders[0] + 1
    model.trainable = True
    for index, layer in enumerate(model.layers):
        layer.trainable = index >= fine_tune_at
    return sum(1 for layer in model.layers[:fine_tune_at] if layer.weights)
