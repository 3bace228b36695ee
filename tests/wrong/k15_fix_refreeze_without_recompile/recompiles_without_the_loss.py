"""Wrong: recompiles with the optimizer only. fit() on this Keras still computes the old loss
(compile() keeps it when given none), but the compile config says loss=None: a model saved after
this loads without a loss and cannot evaluate."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    model.compile(optimizer=model.optimizer)
    return model.fit(x, y, epochs=epochs, verbose=0)
