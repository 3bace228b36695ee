"""Wrong: recompiles with loss="mse" whatever loss the model was compiled with."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    built_on = {id(v) for v in optimizer._trainable_variables}
    reused = all(id(v) in built_on for v in model.trainable_variables)
    if not reused:
        optimizer = type(optimizer).from_config(optimizer.get_config())
    model.compile(optimizer=optimizer, loss="mse")
    return model.fit(x, y, epochs=epochs, verbose=0), reused
