"""Wrong: builds the head on `base.output` and the model from `base.input`. That works only for a
base that was already called on a tensor: a Sequential base that was never called has no
`base.output` (it raises AttributeError). Start from a new keras.Input instead."""
import keras


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    base.trainable = False
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base.output)
    model = keras.Model(base.input, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model
