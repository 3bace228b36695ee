"""Wrong: instead of calling the encoder, calls its layers that hold weights one after another.
The variables are shared, but that chain is the encoder only when the encoder is a plain stack of
such layers: for a functional encoder with a branch (here a skip connection, a layer without
weights), B computes something else."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    inputs = keras.Input(input_shape)
    h = inputs
    for layer in getattr(encoder, "layers", [encoder]):
        if layer.weights:
            h = layer(h)
    features = keras.ops.stop_gradient(h)
    return keras.Model(inputs, keras.layers.Dense(units)(features))
