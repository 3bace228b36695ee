"""Wrong: sets model.run_eagerly = True instead of recompiling, hoping eager mode picks up the new
flags. With batches of the same size, fit() goes on with the train step traced in stage one, so
the unfrozen layers still do not move (and eager mode is no fix anyway)."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    model.optimizer.learning_rate = learning_rate
    model.run_eagerly = True
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
