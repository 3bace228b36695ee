"""Right: a Sequential model (Input, base, Dense, Softmax) instead of a functional one, the default
Adam of optimizer="adam" (learning rate 1e-3) in phase 1, and a new Adam at 1e-5 in phase 2."""
import keras


def two_phase_fine_tune(base: keras.Model, x, y, num_classes: int, top_k: int, head_epochs: int,
                        fine_tune_epochs: int, callbacks=None):
    base.trainable = False
    model = keras.Sequential([keras.Input(base.input_shape[1:]), base,
                              keras.layers.Dense(num_classes), keras.layers.Softmax()])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    head_history = model.fit(x, y, epochs=head_epochs, callbacks=callbacks, verbose=0)

    base.trainable = True
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
    unfrozen = 0
    for layer in reversed(base.layers):
        if layer.weights and not isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = unfrozen < top_k
            unfrozen += 1
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy")
    fine_tune_history = model.fit(x, y, epochs=fine_tune_epochs, callbacks=callbacks, verbose=0)
    return model, head_history, fine_tune_history
