"""Wrong: phase 2 compiles with loss="categorical_crossentropy", the loss for one-hot labels: y holds
integer class labels, and phase 2 must keep phase 1's sparse_categorical_crossentropy."""
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
    candidates = [layer for layer in base.layers
                  if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)]
    top = candidates[len(candidates) - top_k:] if top_k > 0 else []
    for layer in base.layers:
        if layer.weights:
            layer.trainable = any(layer is chosen for chosen in top)
    model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="categorical_crossentropy")
    fine_tune_history = model.fit(x, y, epochs=fine_tune_epochs, callbacks=callbacks, verbose=0)
    return model, head_history, fine_tune_history
