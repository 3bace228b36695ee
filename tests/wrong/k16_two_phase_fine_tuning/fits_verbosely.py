"""Wrong: leaves fit()'s verbose at its default, so both phases print a progress bar or a line
per epoch, while the statement asks for quiet fits (verbose=0)."""
import keras

LOSS = "sparse_categorical_crossentropy"
HEAD_LEARNING_RATE = 1e-3


def two_phase_fine_tune(base: keras.Model, x, y, num_classes: int, top_k: int, head_epochs: int,
                        fine_tune_epochs: int, callbacks=None):
    # Phase 1: a frozen base (a frozen BatchNormalization runs in inference mode) and a new head.
    base.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(num_classes, activation="softmax")(base(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(HEAD_LEARNING_RATE), loss=LOSS)
    head_history = model.fit(x, y, epochs=head_epochs, callbacks=callbacks)

    # Phase 2: base.trainable goes False -> True, which unfreezes every layer of the base; then each
    # layer that owns weights gets its own flag. BatchNormalization never counts and stays frozen.
    base.trainable = True
    candidates = [layer for layer in base.layers
                  if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)]
    top = candidates[len(candidates) - top_k:] if top_k > 0 else []
    for layer in base.layers:
        if layer.weights:
            layer.trainable = any(layer is chosen for chosen in top)
    # Recompile, so that fit() traces a train function with the new trainable set, and with a NEW
    # optimizer: the phase-1 one was built for the head's variables only.
    model.compile(optimizer=keras.optimizers.Adam(HEAD_LEARNING_RATE / 10), loss=LOSS)
    fine_tune_history = model.fit(x, y, epochs=fine_tune_epochs, callbacks=callbacks)
    return model, head_history, fine_tune_history
