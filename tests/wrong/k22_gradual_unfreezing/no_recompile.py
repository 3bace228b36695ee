"""Wrong: compiles once, before the first stage, and only flips flags between stages. The first
fit() traced a train function with the trainable set of stage 1; the later fits, on the same
data with the same batch size, reuse it, so the layers unfrozen in stages 2 and 3 never move (a
fit() with another batch size would retrace and raise "Unknown variable" instead)."""
import keras


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
    histories = []
    for top in range(1, len(stages) + 1):
        stages[-top].trainable = True
        histories.append(model.fit(x, y, epochs=epochs_per_stage, callbacks=callbacks, verbose=0))
    return histories


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer
