"""Wrong: always recompiles with the built optimizer. When a layer that was frozen while it was
built is unfrozen, fit() raises ValueError: Unknown variable."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    model.compile(optimizer=model.optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), True
