"""Reference solution for kata 22: gradual unfreezing, one more base layer per stage (ULMFiT)."""
import keras


def gradual_unfreeze(model: keras.Model, base: keras.Model, x, y, epochs_per_stage: int = 1,
                     learning_rate: float = 1e-4, callbacks=None) -> list:
    base_ids = {id(layer) for layer in _leaf_layers(base)}
    # BatchNormalization stays frozen (inference mode) in every stage, so it is not a stage.
    stages = [layer for layer in _leaf_layers(base)
              if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)]

    # Start from a known state: every model trainable, the head trainable, the whole base frozen.
    # Set each leaf explicitly: on the TensorFlow backend `x.trainable = True` does nothing when
    # the flag is already True.
    for container in _models(model):
        container.trainable = True
    for layer in _leaf_layers(model):
        layer.trainable = id(layer) not in base_ids

    histories = []
    for top in range(1, len(stages) + 1):
        stages[-top].trainable = True
        # fit() traced its train function with the trainable set of that moment and reuses it:
        # compile() throws it away. A new optimizer, because the old one was built for fewer
        # variables.
        model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss)
        histories.append(model.fit(x, y, epochs=epochs_per_stage, callbacks=callbacks, verbose=0))
    return histories


def _models(model):
    """`model` and every model nested in it, parents first."""
    yield model
    for child in model.layers:
        if isinstance(child, keras.Model):
            yield from _models(child)


def _leaf_layers(model):
    """Every layer that is not itself a model, in order, searching nested models."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer
