"""Wrong: takes the stages from `base.layers` without looking inside the models nested in the
base. A nested block becomes one stage: unfreezing it unfreezes every layer inside it at once,
a BatchNormalization layer included, which then trains in training mode."""
import keras


def gradual_unfreeze(model: keras.Model, base: keras.Model, x, y, epochs_per_stage: int = 1,
                     learning_rate: float = 1e-4, callbacks=None) -> list:
    stages = [layer for layer in base.layers
              if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)]
    for container in (model, base):
        container.trainable = True
    for layer in model.layers:
        if layer is not base:
            layer.trainable = True
    for layer in base.layers:
        layer.trainable = False
    histories = []
    for top in range(1, len(stages) + 1):
        stages[-top].trainable = True
        model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss)
        histories.append(model.fit(x, y, epochs=epochs_per_stage, callbacks=callbacks, verbose=0))
    return histories
