"""Wrong: starts from `keras.Input((8,))`, the input shape of the bases seen so far, instead of
the given base's own input shape (`base.input_shape[1:]`): a base that takes images cannot be
called on it."""
import keras


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    base.trainable = False
    inputs = keras.Input((8,))
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base(inputs, training=False))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
