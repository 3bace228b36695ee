"""Wrong: unfreezes every layer of the base, BatchNormalization included, and trusts the model's
`base(inputs, training=False)` to keep BatchNormalization in inference mode, as the keras.io guide
says. Inside a functional model fit() overrides it: the moving statistics update, and gamma and
beta train."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
    for layer in _layers(base):
        layer.trainable = True
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config().get("metrics"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=model.loss,
                  metrics=metrics)
    return model


def _layers(container):
    for layer in container.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
