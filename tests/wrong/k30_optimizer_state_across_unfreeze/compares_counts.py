"""Wrong: reuses the built optimizer when fit() trains no more variables than it was built on.
Counting is not the rule: after one layer is unfrozen and another frozen, the counts match but
the unfrozen layer's variables are unknown to it (ValueError: Unknown variable)."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    reused = len(model.trainable_variables) <= len(optimizer._trainable_variables)
    if not reused:
        optimizer = type(optimizer).from_config(optimizer.get_config())
    model.compile(optimizer=optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), reused
