"""Right: a deeper head (Dense, Dropout, softmax) built on base.output."""
import keras
def build_transfer_model(base, num_classes):
    base.trainable = False
    h = keras.layers.Dense(16, activation="relu")(base.output)
    h = keras.layers.Dropout(0.1)(h)
    model = keras.Model(base.input, keras.layers.Dense(num_classes, activation="softmax")(h))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
