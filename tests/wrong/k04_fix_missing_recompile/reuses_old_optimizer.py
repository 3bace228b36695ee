"""Wrong: recompiles, but hands compile() the optimizer it already has. That optimizer was built
for the variables trainable in stage one, so fit() raises "Unknown variable"."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.optimizer.learning_rate = learning_rate
    model.compile(optimizer=model.optimizer, loss=model.loss, metrics=metrics)
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
