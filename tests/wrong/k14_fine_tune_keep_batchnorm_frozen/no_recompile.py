"""Wrong: sets the flags right and lowers the learning rate of the existing optimizer, but never
recompiles: the next fit(), with the same batch size, reuses the training function it traced for
the frozen base, so the base never moves (a new batch size would retrace, and the old optimizer
would then fail with "Unknown variable")."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
    for layer in _layers(base):
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    model.optimizer.learning_rate = learning_rate
    return model


def _layers(container):
    for layer in container.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
