"""Wrong: sets the variable flags first, then `model.trainable = False` and `model.trainable = True`
to make sure every layer is trainable. Those assignments change every layer's flag, and a changed
layer flag sets every variable of that layer to it: the kernels, gamma and beta train again."""
import math

import keras


def train_only_biases(model: keras.Model) -> int:
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    model.trainable = False
    model.trainable = True
    return sum(math.prod(v.shape) for v in model.trainable_weights)
