"""Wrong: recompiles with loss=model.loss and no metrics. Training still reports mae, but the
compile config (what model.save() writes) now has no metrics: the model saved after fine-tuning
loads without them."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in _every_layer(model):
        layer.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
