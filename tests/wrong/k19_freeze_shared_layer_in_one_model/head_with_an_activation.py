"""Wrong: stops the gradient correctly, but gives the new head an activation (relu) out of habit.
The task asks for a plain `Dense(units)` head, no activation: B's outputs are then clipped at 0."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    inputs = keras.Input(input_shape)
    features = keras.ops.stop_gradient(encoder(inputs))
    outputs = keras.layers.Dense(units, activation="relu")(features)
    return keras.Model(inputs, outputs)
