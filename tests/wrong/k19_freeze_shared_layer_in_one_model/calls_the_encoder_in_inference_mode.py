"""Wrong: calls the encoder with training=False. That is inference mode (Dropout off,
BatchNormalization on its moving statistics), not freezing: B still trains the encoder's weights."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    inputs = keras.Input(input_shape)
    features = encoder(inputs, training=False)
    outputs = keras.layers.Dense(units)(features)
    return keras.Model(inputs, outputs)
