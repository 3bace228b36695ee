"""Wrong: compiles with metrics=["categorical_accuracy"], the accuracy for one-hot labels. The
labels are integers, and it reports a number that is not the fraction of samples whose most
probable class is the label ("accuracy" picks the sparse variant for integer labels)."""
import keras


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    base.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base(inputs, training=False))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["categorical_accuracy"])
    return model
