"""Right: lets Keras apply the rule: recompiles with the built optimizer and fits; when fit()
raises "Unknown variable" (while tracing its first step, before any weight or the iteration count
has changed), recompiles with a fresh optimizer of the same class and settings and fits again."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer, loss = model.optimizer, model.loss
    model.compile(optimizer=optimizer, loss=loss)
    try:
        return model.fit(x, y, epochs=epochs, verbose=0), True
    except ValueError as error:
        if "Unknown variable" not in str(error):
            raise
    model.compile(optimizer=optimizer.__class__(**optimizer.get_config()), loss=loss)
    return model.fit(x, y, epochs=epochs, verbose=0), False
