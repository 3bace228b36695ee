"""Wrong: looks at model.layers only, so the nested base is reported as one layer named 'base' and
its layers never appear; its counts come from base.trainable_weights, which is empty once
base.trainable is False even when the outer model still trains one of its layers."""
import math

import keras


def capacity_report(model: keras.Model) -> dict:
    trainable_layers, frozen_layers = [], []
    trainable_params = non_trainable_params = 0
    for layer in model.layers:
        if not layer.weights:
            continue
        trainable_params += sum(math.prod(v.shape) for v in layer.trainable_weights)
        non_trainable_params += sum(math.prod(v.shape) for v in layer.non_trainable_weights)
        (trainable_layers if layer.trainable_weights else frozen_layers).append(layer.name)
    return {
        "trainable_params": int(trainable_params),
        "non_trainable_params": int(non_trainable_params),
        "trainable_layers": trainable_layers,
        "frozen_layers": frozen_layers,
    }
