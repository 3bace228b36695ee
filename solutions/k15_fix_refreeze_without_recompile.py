"""Reference solution for kata 15: freezing after a fit() needs a recompile too."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    # The first fit() traced a train function with the trainable variables of that moment (and
    # with BatchNormalization in training mode), and the next fit() at the same batch size reuses
    # it: changing a flag afterwards does not touch it. compile() discards it, so the next fit()
    # traces a new one. The optimizer was built while every layer was trainable, so the variables
    # it trains now are among those it was built on: it can be reused, with its state.
    model.compile(optimizer=model.optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0)
