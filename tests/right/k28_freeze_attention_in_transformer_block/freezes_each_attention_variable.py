"""Right: freezes the attention per variable (`variable.trainable = False`) instead of per layer:
fit() reads the variables' flags, so no attention variable trains. (A later
`layer.trainable = ...` on the attention or a layer around it would overwrite them.)"""
import keras


def freeze_attention(model: keras.Model) -> int:
    model.trainable = False
    model.trainable = True
    total = 0
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.MultiHeadAttention):
            for variable in layer.weights:
                variable.trainable = False
            total += layer.count_params()
    return total
