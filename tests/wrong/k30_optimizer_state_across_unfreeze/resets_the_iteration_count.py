"""Wrong: reuses the built optimizer but sets its iteration count back to 0, as if training
started over. A reused optimizer should keep its state (Adam's bias correction reads that count)."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    built_on = {id(v) for v in optimizer._trainable_variables}
    reused = all(id(v) in built_on for v in model.trainable_variables)
    if reused:
        optimizer.iterations.assign(0)
    else:
        optimizer = type(optimizer).from_config(optimizer.get_config())
    model.compile(optimizer=optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), reused
