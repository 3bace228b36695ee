"""Wrong: gives model B a frozen copy of the encoder (same config, same weights). B no longer
shares the encoder: what model A learns later never reaches B."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    copy = encoder.__class__.from_config(encoder.get_config())
    copy.build((None, *input_shape))
    copy.set_weights(encoder.get_weights())
    copy.trainable = False
    inputs = keras.Input(input_shape)
    outputs = keras.layers.Dense(units)(copy(inputs))
    return keras.Model(inputs, outputs)
