"""Wrong: freezes the encoder while building B and unfreezes it afterwards, as if B remembered the
flag from the moment it was built. The trainable set is read when B's train function is traced,
at its first fit(), so B trains the encoder."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    encoder.trainable = False
    inputs = keras.Input(input_shape)
    model_b = keras.Model(inputs, keras.layers.Dense(units)(encoder(inputs)))
    encoder.trainable = True
    return model_b
