"""Wrong: cuts a keras.models.clone_model copy, which re-initialises every weight: the features
come from random layers, not from the pretrained ones."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    clone = keras.models.clone_model(pretrained)
    extractor = keras.Model(clone.inputs, clone.get_layer(layer_name).output)
    extractor.trainable = False
    return extractor
