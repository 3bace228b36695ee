"""Wrong: gives the model a new optimizer by assignment (model.optimizer = Adam(...)) instead of
compile(). fit() goes on with the train step traced in stage one, with the old optimizer: the new
one never takes a step and the unfrozen layers stay bit-identical (a new batch size can make fit()
trace a new step, which then fails to build the assigned optimizer inside it)."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    model.optimizer = keras.optimizers.Adam(learning_rate)
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
