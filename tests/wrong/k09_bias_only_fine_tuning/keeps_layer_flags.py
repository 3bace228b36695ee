"""Wrong: makes the model and every nested model trainable, then sets the variable flags, but leaves
the flags of the layers inside alone. A BatchNormalization layer frozen on its own (as kata 13 does)
stays frozen: its gamma and beta are rightly frozen, but it runs in inference mode, so its moving
statistics stop following the new data."""
import math

import keras


def _nested_models(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield layer
            yield from _nested_models(layer)


def train_only_biases(model: keras.Model) -> int:
    model.trainable = True
    for nested in _nested_models(model):
        nested.trainable = True
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    return sum(math.prod(v.shape) for v in model.trainable_weights)
