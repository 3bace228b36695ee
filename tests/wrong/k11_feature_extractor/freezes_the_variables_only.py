"""Wrong: freezes each variable of the extractor (`variable.trainable = False`) instead of the
extractor. No weight gets a gradient, and `extractor.trainable_weights` is empty, but the layers
themselves stay trainable: a BatchNormalization layer among them stays in training mode, and fit()
of a head on top updates its moving statistics."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    extractor = keras.Model(pretrained.input, pretrained.get_layer(layer_name).output)
    for variable in extractor.weights:
        variable.trainable = False
    return extractor
