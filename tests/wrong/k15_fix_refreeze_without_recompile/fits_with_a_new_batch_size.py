"""Wrong: does not recompile, but fits with batch_size=16 instead of fit()'s default batch size (32).
A new batch size makes fit() trace a new train step, which picks up the late freeze by accident: the
bug is only hidden (back at the default batch size, a later freeze would be ignored again), and the
statement asks for the default batch size."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    return model.fit(x, y, epochs=epochs, batch_size=16, verbose=0)
