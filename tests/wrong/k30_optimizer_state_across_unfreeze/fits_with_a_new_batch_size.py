"""Wrong: when the built optimizer can be reused, does not recompile but fits with batch_size=16.
The new batch size makes fit() trace a new train step, which happens to see the new flags: the
missing recompile is only hidden, and the statement asks for fit()'s default batch size."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    built_on = {id(v) for v in optimizer._trainable_variables}
    if all(id(v) in built_on for v in model.trainable_variables):
        return model.fit(x, y, epochs=epochs, batch_size=16, verbose=0), True
    model.compile(optimizer=type(optimizer).from_config(optimizer.get_config()), loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), False
