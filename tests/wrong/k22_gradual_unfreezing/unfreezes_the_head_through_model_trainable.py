"""Wrong: unfreezes the head with `model.trainable = True`, then freezes each layer of the base.
That works when the model arrives frozen (False -> True reaches every layer), but on the
TensorFlow backend assigning True to a model whose flag is already True does nothing: a head
layer frozen on its own stays frozen in every stage."""
import keras


def gradual_unfreeze(model: keras.Model, base: keras.Model, x, y, epochs_per_stage: int = 1,
                     learning_rate: float = 1e-4, callbacks=None) -> list:
    stages = [layer for layer in _leaf_layers(base)
              if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)]
    model.trainable = True  # the model and its head, when they arrive frozen
    for container in _models(base):
        container.trainable = True
    for layer in _leaf_layers(base):
        layer.trainable = False
    histories = []
    for top in range(1, len(stages) + 1):
        stages[-top].trainable = True
        model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss)
        histories.append(model.fit(x, y, epochs=epochs_per_stage, callbacks=callbacks, verbose=0))
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
