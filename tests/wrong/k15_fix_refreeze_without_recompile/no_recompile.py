"""Wrong: the original bug. A flag changed after the first fit() does not reach the train function
that fit() traced then, so the "frozen" layer keeps training (and a frozen base's BatchNormalization
keeps updating its moving statistics)."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    return model.fit(x, y, epochs=epochs, verbose=0)
