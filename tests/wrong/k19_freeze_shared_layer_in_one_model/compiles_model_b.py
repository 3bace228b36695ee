"""Wrong: builds B correctly, then compiles it with an optimizer and loss of its own. The caller
compiles B with their own optimizer and loss: return it uncompiled."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    inputs = keras.Input(input_shape)
    features = keras.ops.stop_gradient(encoder(inputs))
    model_b = keras.Model(inputs, keras.layers.Dense(units)(features))
    model_b.compile(optimizer="adam", loss="mse")
    return model_b
