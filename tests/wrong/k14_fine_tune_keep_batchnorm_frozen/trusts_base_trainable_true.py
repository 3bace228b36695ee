"""Wrong: "unfreezes" the base with base.trainable = True, then freezes its BatchNormalization
layers. When the base's own flag is already True and its layers were frozen one by one, that
assignment is a silent no-op on the TensorFlow backend, and every other layer stays frozen."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
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
