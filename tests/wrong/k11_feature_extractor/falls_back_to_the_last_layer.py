"""Wrong: looks the layer up by hand and, when no layer has that name, silently cuts at the
model's output instead of raising ValueError: a typo in the name goes unnoticed."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    layer = next((l for l in pretrained.layers if l.name == layer_name), pretrained.layers[-1])
    extractor = keras.Model(pretrained.input, layer.output)
    extractor.trainable = False
    return extractor
