"""Wrong: sets the variable flags and then `model.trainable = True` "for good measure": on a model
that arrives frozen, that assignment sets every variable trainable again."""
import math

import keras


def train_only_biases(model: keras.Model) -> int:
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    model.trainable = True
    return sum(math.prod(v.shape) for v in model.trainable_weights)
