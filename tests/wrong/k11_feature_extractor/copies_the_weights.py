"""Wrong: clones the model and copies the weight values over. The features are right today, but
the extractor owns separate variables: a later change of the pretrained weights never reaches it,
and the copy doubles the memory."""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    clone = keras.models.clone_model(pretrained)
    clone.set_weights(pretrained.get_weights())
    extractor = keras.Model(clone.inputs, clone.get_layer(layer_name).output)
    extractor.trainable = False
    return extractor
