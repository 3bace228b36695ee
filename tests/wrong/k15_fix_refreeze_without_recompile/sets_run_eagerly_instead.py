"""Wrong: instead of recompiling, sets model.run_eagerly = True for the fit() (hoping eager mode
picks up the new flag), then puts it back to False. fit() reuses the train function traced in the
first fit(), so the frozen layer still moves."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    model.run_eagerly = True
    history = model.fit(x, y, epochs=epochs, verbose=0)
    model.run_eagerly = False
    return history
