"""Right: compares the variables by path (unique within a model) instead of by identity, and asks
whether the set fit() trains now is a subset of the set the optimizer was built on."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    now = {v.path for v in model.trainable_variables}
    reused = now <= {v.path for v in optimizer._trainable_variables}
    if not reused:
        optimizer = optimizer.from_config(optimizer.get_config())
    model.compile(optimizer=optimizer, loss=model.loss)
    history = model.fit(x, y, epochs=epochs, verbose=0)
    return history, reused
