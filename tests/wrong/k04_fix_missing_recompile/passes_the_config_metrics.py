"""Wrong: recompiles with the metrics as the compile config holds them, serialized. A metric given
by name stays a name there, so this works for metrics=["mae"]; a metric object is a dict there,
which compile() cannot read, and the fine-tuning fails."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    metrics = model.get_compile_config()["metrics"]
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss, metrics=metrics)
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
