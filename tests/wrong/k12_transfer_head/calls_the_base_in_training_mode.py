"""Wrong: calls the base with training=True, "so that it runs as in training while the head
learns". fit() and predict() set the mode themselves, but model(x) without a training argument
now runs the base in training mode: its Dropout drops, and the same input gives other
probabilities every call."""
import keras


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    base.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base(inputs, training=True))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
