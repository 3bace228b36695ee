"""Wrong: recompiles, but after training instead of before it: the fit() that mattered still ran
the old train function, so the frozen layer moved."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    history = model.fit(x, y, epochs=epochs, verbose=0)
    model.compile(optimizer=model.optimizer, loss=model.loss)
    return history
