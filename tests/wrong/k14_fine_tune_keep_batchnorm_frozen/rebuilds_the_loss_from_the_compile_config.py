"""Wrong: compiles again from the model's whole compile config, deserialized, with only the
optimizer replaced. The metrics come back right, but the loss is rebuilt from its config, and a
loss can lose an argument on the way: on this Keras `Huber(delta=0.5)` comes back as a Huber loss
with delta 1.0. Take the loss from `model.loss`, the object compile() was given."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
    for layer in _layers(base):
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    config = model.get_compile_config()
    config.pop("optimizer")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  **keras.saving.deserialize_keras_object(config))
    return model


def _layers(container):
    for layer in container.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
