"""Wrong: applies stop_gradient to the input instead of the encoder's output. Nothing flows back
into the input anyway; the gradient still reaches the encoder's weights, so B trains them."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    inputs = keras.Input(input_shape)
    features = encoder(keras.ops.stop_gradient(inputs))
    outputs = keras.layers.Dense(units)(features)
    return keras.Model(inputs, outputs)
