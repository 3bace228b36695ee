"""Wrong: stops the gradient in B, and "to be sure model A still trains the encoder" sets the flag
of every layer inside the encoder to True. A layer that model A had frozen on purpose now trains
in A too: leave the encoder's flags alone."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    for layer in getattr(encoder, "layers", [encoder]):
        layer.trainable = True
    inputs = keras.Input(input_shape)
    features = keras.ops.stop_gradient(encoder(inputs))
    return keras.Model(inputs, keras.layers.Dense(units)(features))
