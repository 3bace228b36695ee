"""Wrong: the original bug. fit() reuses the train step it traced in stage one while the batches
keep their size, and flags changed since do not reach it: the unfrozen layers stay bit-identical."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    model.optimizer.learning_rate = learning_rate
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
