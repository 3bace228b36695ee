"""Right: recompiles with a new optimizer of the same class and learning rate (its moments start
from zero), and passes the default batch size explicitly."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    old = model.optimizer
    model.compile(optimizer=type(old)(learning_rate=float(old.learning_rate)), loss=model.loss)
    return model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
