"""Wrong: sets the variable flags but leaves the layers of a frozen base frozen. The biases still
train (the outer model lists them by their variable flags), but a frozen BatchNormalization layer
runs in inference mode, so its moving statistics stop following the new data."""
import math

import keras


def train_only_biases(model: keras.Model) -> int:
    model.trainable = True
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    return sum(math.prod(v.shape) for v in model.trainable_weights)
