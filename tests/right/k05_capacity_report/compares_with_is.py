"""Right: walks the nested models with an explicit stack (in model order), counts with NumPy
wrapped in int(), and tests membership with `is` instead of id()."""
import keras
import numpy as np


def capacity_report(model: keras.Model) -> dict:
    trainable = list(model.trainable_weights)
    leaves, stack = [], [iter(model.layers)]
    while stack:
        layer = next(stack[-1], None)
        if layer is None:
            stack.pop()
        elif isinstance(layer, keras.Model):
            stack.append(iter(layer.layers))
        elif layer.weights:
            leaves.append(layer)
    trained = [l for l in leaves if any(v is w for v in l.weights for w in trainable)]
    return {
        "trainable_params": int(sum(np.prod(v.shape) for v in trainable)),
        "non_trainable_params": int(sum(np.prod(v.shape) for v in model.non_trainable_weights)),
        "trainable_layers": [l.name for l in trained],
        "frozen_layers": [l.name for l in leaves if not any(l is t for t in trained)],
    }
