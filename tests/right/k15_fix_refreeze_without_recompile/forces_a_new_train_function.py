"""Right: instead of recompiling, makes fit() trace a new train function with
model.make_train_function(force=True); the optimizer, its state and the loss stay as they were."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    model.make_train_function(force=True)
    return model.fit(x, y, epochs=epochs, verbose=0)
