"""Wrong: freezes each variable (`variable.trainable = False`) instead of the base. No weight gets a
gradient, but the BatchNormalization layer itself is still trainable, so it stays in training mode
and fit() updates its moving statistics."""
import keras


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    for variable in base.trainable_variables:
        variable.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base(inputs, training=False))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
