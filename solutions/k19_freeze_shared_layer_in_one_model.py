"""Reference solution for kata 19: freeze a shared layer in one model only."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    inputs = keras.Input(input_shape)
    # The encoder's flag is shared by every model that uses it, so leave it alone. stop_gradient
    # cuts this model's graph instead: no gradient of B's loss reaches the encoder's variables.
    features = keras.ops.stop_gradient(encoder(inputs))
    outputs = keras.layers.Dense(units)(features)
    return keras.Model(inputs, outputs)
