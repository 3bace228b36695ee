"""Wrong: sets encoder.trainable = False. The flag belongs to the layer, not to model B, so once
model A is recompiled it stops fine-tuning the encoder too."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    encoder.trainable = False
    inputs = keras.Input(input_shape)
    outputs = keras.layers.Dense(units)(encoder(inputs))
    return keras.Model(inputs, outputs)
