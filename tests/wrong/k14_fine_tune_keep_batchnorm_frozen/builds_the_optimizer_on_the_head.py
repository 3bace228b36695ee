"""Wrong: builds the fresh Adam on the head's variables before compile(): an optimizer only
ever updates the variables it was built with, so fit() stops with "Unknown variable" at the
first base variable."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
    for layer in _layers(base):
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config().get("metrics"))
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    optimizer.build(model.layers[-1].trainable_variables)
    model.compile(optimizer=optimizer, loss=model.loss, metrics=metrics)
    return model


def _layers(container):
    for layer in container.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
