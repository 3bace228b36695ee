"""Right: recompiles first and freezes afterwards. compile() discards the traced train function, so
the next fit() traces a new one with the flags of that moment, the new freeze included."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.compile(optimizer=model.optimizer, loss=model.loss)
    model.get_layer(layer_name).trainable = False
    return model.fit(x, y, epochs=epochs, verbose=0)
