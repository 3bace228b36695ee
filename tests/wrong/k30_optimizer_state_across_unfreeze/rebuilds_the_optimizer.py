"""Wrong: reuses the built optimizer after calling optimizer.build(model.trainable_variables) to
teach it the new variables. build() on an optimizer that is already built returns at once, so a
variable it does not know still makes fit() raise ValueError: Unknown variable."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    optimizer.build(model.trainable_variables)
    model.compile(optimizer=optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), True
