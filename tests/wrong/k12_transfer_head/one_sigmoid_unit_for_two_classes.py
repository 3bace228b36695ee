"""Wrong: for two classes, uses one sigmoid unit and binary cross-entropy, the usual binary
classifier. The statement asks for one softmax probability per class whatever num_classes is: a
model with one output cannot give both classes' probabilities."""
import keras


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    base.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    features = base(inputs, training=False)
    if num_classes == 2:
        outputs = keras.layers.Dense(1, activation="sigmoid")(features)
        loss = "binary_crossentropy"
    else:
        outputs = keras.layers.Dense(num_classes, activation="softmax")(features)
        loss = "sparse_categorical_crossentropy"
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=loss, metrics=["accuracy"])
    return model
