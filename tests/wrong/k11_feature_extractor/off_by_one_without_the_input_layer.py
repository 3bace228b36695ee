"""Wrong: looks the name up among the layers after the InputLayer, then uses that position in
model.layers, which does include the InputLayer: the cut lands one layer too early."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    names = [layer.name for layer in pretrained.layers[1:]]
    index = names.index(layer_name)
    extractor = keras.Model(pretrained.inputs, pretrained.layers[index].output)
    extractor.trainable = False
    return extractor
