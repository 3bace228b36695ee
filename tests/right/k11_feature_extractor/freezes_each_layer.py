"""Right: the layer looked up by hand (ValueError raised explicitly), the model built from
pretrained.inputs, and each of the extractor's layers frozen one by one instead of the extractor."""
import keras


def feature_extractor(pretrained, layer_name):
    found = [layer for layer in pretrained.layers if layer.name == layer_name]
    if not found:
        raise ValueError(f"no layer named {layer_name!r}")
    extractor = keras.Model(inputs=pretrained.inputs, outputs=found[0].output)
    for layer in extractor.layers:
        layer.trainable = False
    return extractor
