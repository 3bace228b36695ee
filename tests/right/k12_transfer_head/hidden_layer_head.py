"""Right: a deeper head (Dense, Dropout, softmax) on a new keras.Input."""
import keras
def build_transfer_model(base, num_classes):
    base.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    h = keras.layers.Dense(16, activation="relu")(base(inputs))
    h = keras.layers.Dropout(0.1)(h)
    model = keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(h))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
