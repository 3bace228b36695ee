"""Wrong: rebuilds the cut as a Sequential of the pretrained layers up to the named one. The layers
(and their weights) are shared, and on a plain chain the output is right, but a functional model
is a graph, not a list: a layer with two inputs (a skip connection's Add) cannot be chained."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    names = [layer.name for layer in pretrained.layers]
    if layer_name not in names:
        raise ValueError(f"no layer named {layer_name!r}")
    chain = pretrained.layers[1:names.index(layer_name) + 1]  # after the InputLayer
    extractor = keras.Sequential([keras.Input(pretrained.input_shape[1:]), *chain])
    extractor.trainable = False
    return extractor
