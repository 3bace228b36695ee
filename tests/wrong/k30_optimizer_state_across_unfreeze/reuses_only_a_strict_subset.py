"""Wrong: reuses the built optimizer only when fit() now trains strictly fewer variables than it
was built on (`<` instead of `<=`). After a freeze and an unfreeze of the same layers the two sets
are equal, and the optimizer, with its state, should be kept."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    reused = {id(v) for v in model.trainable_variables} < {
        id(v) for v in optimizer._trainable_variables}
    if not reused:
        optimizer = type(optimizer).from_config(optimizer.get_config())
    model.compile(optimizer=optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), reused
