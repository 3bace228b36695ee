"""Reference solution for kata 11: a frozen feature extractor that shares the pretrained weights."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    # get_layer raises ValueError for an unknown name. The new model is built from the symbolic
    # tensors of `pretrained`, so it reuses its layer objects (and their variables): no copy.
    output = pretrained.get_layer(layer_name).output
    extractor = keras.Model(pretrained.input, output)
    extractor.trainable = False
    return extractor
