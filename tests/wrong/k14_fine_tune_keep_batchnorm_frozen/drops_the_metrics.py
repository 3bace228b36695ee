"""Wrong: recompiles with the new optimizer and the loss only. compile() without metrics drops the
metrics from the model's compile config: fit() on this Keras still reports them (compile() keeps
the previous metrics object when given none), but a model saved and loaded again has lost them."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
    for layer in _layers(base):
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=model.loss)
    return model


def _layers(container):
    for layer in container.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
