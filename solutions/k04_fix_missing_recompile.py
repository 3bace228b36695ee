"""Reference solution for kata 4: unfreezing after a fit() needs a recompile."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    # The first fit() traced a train function with the trainable variables of that moment, and
    # changing the flags afterwards does not touch it. compile() discards it, so the next fit()
    # traces a new one. The optimizer must be new too: the old one was built for fewer variables
    # and would raise "Unknown variable".
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    """The layers of `model`, and the layers of every model nested in it, parents first."""
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
