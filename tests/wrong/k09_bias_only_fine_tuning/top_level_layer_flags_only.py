"""Wrong: sets `trainable = True` on the entries of model.layers only. A frozen nested base is then
unfrozen as a whole, but in a nested base whose own flag is already True, a layer frozen on its own
(a BatchNormalization frozen as kata 13 does) stays frozen: on the TensorFlow backend
`base.trainable = True` does nothing then, and the frozen BatchNormalization runs in inference
mode, its moving statistics no longer following the data."""
import math

import keras


def train_only_biases(model: keras.Model) -> int:
    model.trainable = True
    for layer in model.layers:
        layer.trainable = True
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    return sum(math.prod(v.shape) for v in model.trainable_weights)
