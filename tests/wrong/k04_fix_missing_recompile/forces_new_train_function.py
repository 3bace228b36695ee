"""Wrong: retraces with model.make_train_function(force=True) instead of recompiling. That retrace
works for freezing, but after unfreezing the old optimizer meets variables it was not built for
and fit() raises "Unknown variable"."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    model.optimizer.learning_rate = learning_rate
    model.make_train_function(force=True)
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
