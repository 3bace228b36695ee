"""Wrong: unfreezes the whole model (False, then True: a True-to-True assignment would do nothing),
then freezes the base's BatchNormalization layers. The base is right, but a layer outside the base
that was frozen on purpose is trainable again."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    model.trainable = False
    model.trainable = True
    for layer in _layers(base):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config().get("metrics"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=model.loss,
                  metrics=metrics)
    return model


def _layers(container):
    for layer in container.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
