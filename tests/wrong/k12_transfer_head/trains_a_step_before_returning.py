"""Wrong: runs one training step on a batch of zeros before returning, to have every variable
built. The statement asks for a model that is compiled but not trained: that step has already
moved the new head (and counted one optimizer iteration) on data that is not the task's."""
import keras
import numpy as np


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    base.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base(inputs, training=False))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.train_on_batch(np.zeros((1, *base.input_shape[1:]), "float32"), np.zeros((1,), "int32"))
    return model
