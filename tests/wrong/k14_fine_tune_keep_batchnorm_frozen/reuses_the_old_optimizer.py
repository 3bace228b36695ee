"""Wrong: recompiles, but with the optimizer the model already had. It was built for the variables
that were trainable before, so the next fit() fails with "Unknown variable"."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
    for layer in _layers(base):
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config().get("metrics"))
    optimizer = model.optimizer
    optimizer.learning_rate = learning_rate
    model.compile(optimizer=optimizer, loss=model.loss, metrics=metrics)
    return model


def _layers(container):
    for layer in container.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
