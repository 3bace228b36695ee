"""Wrong: compiles every stage with a new Adam but without the loss. fit() on this Keras still
computes the old loss (compile() keeps it when given none), but the compile config says
loss=None: the model saved after fine-tuning loads without a loss and cannot evaluate."""
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
    histories = []
    for top in range(1, len(stages) + 1):
        stages[-top].trainable = True
        model.compile(optimizer=keras.optimizers.Adam(learning_rate))
        histories.append(model.fit(x, y, epochs=epochs_per_stage, callbacks=callbacks, verbose=0))
    return histories


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer
