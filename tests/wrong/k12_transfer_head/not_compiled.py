"""Wrong: builds the right model but returns it uncompiled, so it is not ready to fit."""
import keras


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    base.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base(inputs, training=False))
    return keras.Model(inputs, outputs)
