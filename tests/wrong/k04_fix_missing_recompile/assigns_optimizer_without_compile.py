"""Wrong: gives the model a new optimizer by assignment (model.optimizer = Adam(...)) instead of
compile(). fit() reuses the train function traced in the first fit(): the new optimizer never takes
a step and the unfrozen layers stay bit-identical."""
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
