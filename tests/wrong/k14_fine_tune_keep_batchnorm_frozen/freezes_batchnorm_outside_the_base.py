"""Wrong: walks the whole model instead of the base: every BatchNormalization layer of the model
is frozen, the new head's included, and every other layer is made trainable, a layer outside the
base that was frozen on purpose included. Only the base was to change."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
    for layer in _layers(model):
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config().get("metrics"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=model.loss,
                  metrics=metrics)
    return model


def _layers(container):
    for layer in container.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
