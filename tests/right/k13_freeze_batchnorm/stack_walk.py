"""Right: an explicit stack instead of recursion to reach nested BatchNormalization layers."""
import keras
def freeze_batchnorm(model):
    n = 0
    stack = list(model.layers)
    while stack:
        layer = stack.pop()
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False; n += 1
        stack.extend(getattr(layer, "layers", []))
    return n
