"""Wrong: keeps the original code and only trains with another batch size, as one might while
debugging. Stage one's batches all had one size, so the new batch size makes fit() trace a new
step, which does see the unfrozen layers; but the optimizer of stage one was not built for them:
ValueError: Unknown variable."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    model.optimizer.learning_rate = learning_rate
    return model.fit(x, y, epochs=epochs, batch_size=16, verbose=0)


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
