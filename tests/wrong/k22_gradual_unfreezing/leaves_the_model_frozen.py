"""Wrong: sets the flag of every leaf layer (head True, base layers False, then one more base
layer per stage) and of the base, but never the model's own flag. A model that arrives with
`trainable = False` reports no trainable weights, whatever its layers say: no stage trains
anything."""
import keras


def gradual_unfreeze(model: keras.Model, base: keras.Model, x, y, epochs_per_stage: int = 1,
                     learning_rate: float = 1e-4, callbacks=None) -> list:
    base_ids = {id(layer) for layer in _leaf_layers(base)}
    stages = [layer for layer in _leaf_layers(base)
              if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)]
    base.trainable = True
    for layer in _leaf_layers(model):
        layer.trainable = id(layer) not in base_ids
    histories = []
    for top in range(1, len(stages) + 1):
        stages[-top].trainable = True
        model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss)
        histories.append(model.fit(x, y, epochs=epochs_per_stage, callbacks=callbacks, verbose=0))
    return histories


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer
