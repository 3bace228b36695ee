"""Wrong: freezes `pretrained` as a whole rather than the extractor. The extractor is frozen, but
so are the pretrained layers after the cut, which the extractor does not use: training
`pretrained` afterwards changes nothing at all."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    pretrained.trainable = False
    return keras.Model(pretrained.input, pretrained.get_layer(layer_name).output)
