"""Wrong: adds a callback of its own to the caller's list, `callbacks + [TerminateOnNaN()]`. With
the default `callbacks=None` that raises a TypeError: None means no callbacks."""
import keras


def gradual_unfreeze(model: keras.Model, base: keras.Model, x, y, epochs_per_stage: int = 1,
                     learning_rate: float = 1e-4, callbacks=None) -> list:
    base_ids = {id(layer) for layer in _leaf_layers(base)}
    stages = [layer for layer in _leaf_layers(base)
              if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)]
    for container in _models(model):
        container.trainable = True
    for layer in _leaf_layers(model):
        layer.trainable = id(layer) not in base_ids
    histories = []
    for top in range(1, len(stages) + 1):
        stages[-top].trainable = True
        model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss)
        histories.append(model.fit(x, y, epochs=epochs_per_stage, verbose=0,
                                   callbacks=callbacks + [keras.callbacks.TerminateOnNaN()]))
    return histories


def _models(model):
    yield model
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _models(layer)


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer
