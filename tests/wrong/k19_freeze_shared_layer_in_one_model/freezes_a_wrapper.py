"""Wrong: wraps the encoder in a new Sequential for model B and freezes the wrapper, as if it were
B's own copy. The flag propagates down to the shared encoder, so model A loses it too."""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    frozen_view = keras.Sequential([encoder], name="frozen_encoder_for_b")
    frozen_view.trainable = False
    inputs = keras.Input(input_shape)
    outputs = keras.layers.Dense(units)(frozen_view(inputs))
    return keras.Model(inputs, outputs)
