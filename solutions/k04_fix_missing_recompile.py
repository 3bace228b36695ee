"""Reference solution for kata 4: why the unfrozen layers never changed."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    # The first fit() traced a train step with the variables trainable at that moment, and fit()
    # reuses that step while the batches keep their size: flags changed since never reach it.
    # compile() discards it, so the next fit() traces a new one. The optimizer must be new too:
    # the old one was built for stage one's variables, and the new step would raise
    # "Unknown variable". compile() records only what it is given: pass the loss and the metrics.
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss, metrics=metrics)
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    """The layers of `model`, and the layers of every model nested in it, parents first."""
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
