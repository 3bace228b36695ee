"""Wrong: relies on base(inputs, training=False) and never freezes the base, so fit() trains the
pretrained layers along with the new head (and BatchNormalization's statistics move too)."""
import keras


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base(inputs, training=False))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
