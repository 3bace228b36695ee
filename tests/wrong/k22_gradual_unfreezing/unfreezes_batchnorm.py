"""Wrong: treats BatchNormalization like any other weighted layer and unfreezes it in its turn.
An unfrozen BatchNormalization layer trains in training mode: its moving statistics drift to the
new data and its gamma/beta move, which is what this kata keeps frozen in every stage."""
import keras


def gradual_unfreeze(model: keras.Model, base: keras.Model, x, y, epochs_per_stage: int = 1,
                     learning_rate: float = 1e-4, callbacks=None) -> list:
    base_ids = {id(layer) for layer in _leaf_layers(base)}
    stages = [layer for layer in _leaf_layers(base) if layer.weights]
    model.trainable = True
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
