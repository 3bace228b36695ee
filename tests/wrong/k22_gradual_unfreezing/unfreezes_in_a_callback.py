"""Wrong: runs every stage inside one fit() and unfreezes layers from a callback at each stage's
first epoch. The train function was traced at the first step with the trainable set of that
moment, and every batch has the same size, so fit() never retraces it: the lower layers never
train."""
import keras


class _UnfreezeSchedule(keras.callbacks.Callback):
    def __init__(self, stages, epochs_per_stage):
        super().__init__()
        self.stages = stages
        self.epochs_per_stage = epochs_per_stage

    def on_epoch_begin(self, epoch, logs=None):
        if epoch % self.epochs_per_stage == 0:
            self.stages[-(epoch // self.epochs_per_stage + 1)].trainable = True


def gradual_unfreeze(model: keras.Model, base: keras.Model, x, y, epochs_per_stage: int = 1,
                     learning_rate: float = 1e-4, callbacks=None) -> list:
    base_ids = {id(layer) for layer in _leaf_layers(base)}
    stages = [layer for layer in _leaf_layers(base)
              if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)]
    model.trainable = True
    base.trainable = True
    for layer in _leaf_layers(model):
        layer.trainable = id(layer) not in base_ids
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss)
    history = model.fit(x, y, epochs=epochs_per_stage * len(stages), verbose=0,
                        callbacks=[_UnfreezeSchedule(stages, epochs_per_stage), *(callbacks or [])])
    # One History per stage, cut out of the single run.
    histories = []
    for stage in range(len(stages)):
        part = keras.callbacks.History()
        part.epoch = list(range(epochs_per_stage))
        part.history = {key: values[stage * epochs_per_stage:(stage + 1) * epochs_per_stage]
                        for key, values in history.history.items()}
        histories.append(part)
    return histories


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer
