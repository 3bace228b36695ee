"""Wrong: keeps beta trainable as if it were a bias, as BitFit does for LayerNormalization; this
kata trains only the variables named bias."""
import math

import keras


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)


def train_only_biases(model: keras.Model) -> int:
    model.trainable = True
    for layer in _all_layers(model):
        layer.trainable = True
    for variable in model.weights:
        variable.trainable = variable.name in ("bias", "beta")
    return sum(math.prod(v.shape) for v in model.trainable_weights)
