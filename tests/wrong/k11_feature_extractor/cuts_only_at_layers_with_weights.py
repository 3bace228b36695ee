"""Wrong: looks the name up among the layers that own weights only, as when counting layers to
freeze. A cut at a layer without weights (Dropout, Flatten, Add, ...) is refused with ValueError,
although the pretrained model has that layer."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    weighted = [layer for layer in pretrained.layers if layer.weights]
    index = [layer.name for layer in weighted].index(layer_name)  # ValueError when absent
    extractor = keras.Model(pretrained.input, weighted[index].output)
    extractor.trainable = False
    return extractor
