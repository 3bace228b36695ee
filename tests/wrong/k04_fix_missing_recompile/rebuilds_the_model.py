"""Wrong: "starts afresh" with keras.models.clone_model, compiles and trains the clone. The
caller's model is never trained (and the clone starts from new random weights, not the
pretrained ones)."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    loss = model.loss
    model = keras.models.clone_model(model)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss, metrics=metrics)
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
