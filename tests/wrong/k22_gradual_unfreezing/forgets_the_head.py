"""Wrong: only touches the base and its layers, and never the head. A head layer that arrived
frozen stays frozen in every stage (and when the whole model arrived frozen, a model with
trainable = False hides every weight from fit(): no stage trains anything)."""
import keras


def gradual_unfreeze(model: keras.Model, base: keras.Model, x, y, epochs_per_stage: int = 1,
                     learning_rate: float = 1e-4, callbacks=None) -> list:
    stages = [layer for layer in base.layers
              if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)]
    base.trainable = True
    for layer in base.layers:
        layer.trainable = False
    histories = []
    for top in range(1, len(stages) + 1):
        stages[-top].trainable = True
        model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss)
        histories.append(model.fit(x, y, epochs=epochs_per_stage, callbacks=callbacks, verbose=0))
    return histories
