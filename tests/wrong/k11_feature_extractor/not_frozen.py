"""Wrong: cuts the model correctly but never freezes it, so fitting a head on top of the extractor
also trains, and changes, the pretrained layers."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    return keras.Model(pretrained.inputs, pretrained.get_layer(layer_name).output)
