"""Wrong: gives keras.Model a list holding the one output tensor, so the extractor returns a list
with one array instead of the array: a head cannot be put on it as on a tensor."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    extractor = keras.Model(pretrained.input, [pretrained.get_layer(layer_name).output])
    extractor.trainable = False
    return extractor
