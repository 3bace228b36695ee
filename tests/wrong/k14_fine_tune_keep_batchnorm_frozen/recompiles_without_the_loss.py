"""Wrong: recompiles with the new optimizer and the metrics, but without the loss. fit() on this
Keras still computes the old loss (compile() keeps it when given none), but the compile config
says loss=None: a model saved after fine-tuning loads without a loss and cannot evaluate."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
    for layer in _layers(base):
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), metrics=metrics)
    return model


def _layers(container):
    for layer in container.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
