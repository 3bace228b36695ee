"""Wrong: recompiles with run_eagerly=True. The layer does stay frozen, but eager mode only hides
the missing-recompile bug and leaves the model out of graph mode."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    model.compile(optimizer=model.optimizer, loss=model.loss, run_eagerly=True)
    return model.fit(x, y, epochs=epochs, verbose=0)
