"""Right: the pattern of the TensorFlow transfer-learning tutorial. Phase 2 continues the epoch
count (initial_epoch), so its History holds fine_tune_epochs epochs; the flags are set layer by
layer, without ever setting base.trainable."""
import keras

LOSS = "sparse_categorical_crossentropy"


def two_phase_fine_tune(base: keras.Model, x, y, num_classes: int, top_k: int, head_epochs: int,
                        fine_tune_epochs: int, callbacks=None):
    for layer in base.layers:
        layer.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss=LOSS)
    head_history = model.fit(x, y, epochs=head_epochs, callbacks=callbacks, verbose=0)

    weighted = [layer for layer in base.layers
                if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)]
    for layer in weighted[len(weighted) - top_k:] if top_k else []:
        layer.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.0001), loss=LOSS)
    fine_tune_history = model.fit(x, y, epochs=head_epochs + fine_tune_epochs,
                                  initial_epoch=head_epochs, callbacks=callbacks, verbose=0)
    return model, head_history, fine_tune_history
