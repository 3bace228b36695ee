"""Wrong: looks inside nested Sequential models only. A block built with the functional API is a
keras.Model too: it is unfrozen as one layer, which makes its BatchNormalization layer trainable
again, and never looked into."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
    _walk(base)
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config().get("metrics"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=model.loss,
                  metrics=metrics)
    return model


def _walk(container):
    for layer in container.layers:
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
        if isinstance(layer, keras.Sequential):
            _walk(layer)
