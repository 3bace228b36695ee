"""Wrong: reuses the built optimizer but zeroes its moments first, to get rid of the stale ones
of the layers that were frozen in between. A reused optimizer should keep its state: here it
keeps only its iteration count."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    built_on = {id(v) for v in optimizer._trainable_variables}
    reused = all(id(v) in built_on for v in model.trainable_variables)
    if reused:
        for variable in optimizer.variables:
            if variable.name.endswith(("_momentum", "_velocity")):
                variable.assign(keras.ops.zeros_like(variable))
    else:
        optimizer = type(optimizer).from_config(optimizer.get_config())
    model.compile(optimizer=optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), reused
