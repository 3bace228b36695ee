"""Wrong: unfreezes base.layers[-top_k:], so Dropout and BatchNormalization layers near the top use
up places among the k and too few Dense layers are unfrozen."""
import keras


def two_phase_fine_tune(base: keras.Model, x, y, num_classes: int, top_k: int, head_epochs: int,
                        fine_tune_epochs: int, callbacks=None):
    base.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    head_history = model.fit(x, y, epochs=head_epochs, callbacks=callbacks, verbose=0)

    base.trainable = True
    for index, layer in enumerate(base.layers):
        layer.trainable = (index >= len(base.layers) - top_k
                           and not isinstance(layer, keras.layers.BatchNormalization))
    model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy")
    fine_tune_history = model.fit(x, y, epochs=fine_tune_epochs, callbacks=callbacks, verbose=0)
    return model, head_history, fine_tune_history
