"""Wrong: recompiles with run_eagerly=True. The layers do train, but eager mode only hides the
missing-recompile bug and leaves the model out of graph mode."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss, run_eagerly=True)
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
