"""Reference solution for kata 14: unfreeze a base while BatchNormalization stays frozen."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    # On the TensorFlow backend base.trainable = True is a no-op when the flag is already True, so
    # every layer is set below. It comes first: set later, it would make the BatchNormalization
    # layers trainable again.
    base.trainable = True
    _unfreeze_all_but_batchnorm(base)
    # fit() already traced a training function for the old trainable set: compile again, with a
    # new optimizer (the old one was built for the head's variables only), the same loss and the
    # same metrics. Without metrics=..., compile() drops them from the model's compile config.
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config().get("metrics"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=model.loss,
                  metrics=metrics)
    return model


def _unfreeze_all_but_batchnorm(container: keras.Model) -> None:
    for layer in container.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
        else:
            layer.trainable = True
            if isinstance(layer, keras.Model):
                _unfreeze_all_but_batchnorm(layer)
