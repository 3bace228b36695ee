"""Wrong: freezes the layers up to the cut and makes every later layer of `pretrained` trainable,
as in kata 1. The extractor is right, but a layer after the cut that was frozen on purpose is
unfrozen: only the extractor's own layers are this function's business."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    extractor = keras.Model(pretrained.input, pretrained.get_layer(layer_name).output)
    used = {id(layer) for layer in extractor.layers}
    for layer in pretrained.layers:
        layer.trainable = id(layer) not in used
    return extractor
