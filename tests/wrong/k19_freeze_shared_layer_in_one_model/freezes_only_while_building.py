"""Wrong: freezes the encoder while building B and then gives the encoder and each of its layers
back the flag it had, as if B remembered the flags of the moment it was built. The trainable set
is read when B's train function is traced, at its first fit(), so B trains the encoder."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    layers = [encoder, *getattr(encoder, "layers", [])]
    flags = [layer.trainable for layer in layers]
    encoder.trainable = False
    inputs = keras.Input(input_shape)
    model_b = keras.Model(inputs, keras.layers.Dense(units)(encoder(inputs)))
    for layer, flag in zip(layers, flags):  # the encoder first, then its layers
        layer.trainable = flag
    return model_b
