"""Wrong: freezes the whole model after putting the head on, "to protect the base". The base is
frozen, but so is the new head: fit() trains nothing and the model never learns the task."""
import keras


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base(inputs, training=False))
    model = keras.Model(inputs, outputs)
    model.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
