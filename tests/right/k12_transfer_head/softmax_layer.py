"""Right: a Dense layer of num_classes units followed by a separate Softmax layer, and the base's
layers frozen one by one instead of base.trainable = False."""
import keras
def build_transfer_model(base, num_classes):
    for layer in base.layers:
        layer.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    scores = keras.layers.Dense(num_classes)(base(inputs, training=False))
    model = keras.Model(inputs, keras.layers.Softmax()(scores))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
