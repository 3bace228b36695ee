"""Wrong: takes the output of the layer after the named one (index + 1), as if the name marked
where the cut starts rather than the last layer kept."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    names = [layer.name for layer in pretrained.layers]
    index = names.index(layer_name)
    extractor = keras.Model(pretrained.inputs, pretrained.layers[index + 1].output)
    extractor.trainable = False
    return extractor
