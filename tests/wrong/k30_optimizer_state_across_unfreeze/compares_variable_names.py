"""Wrong: applies the subset rule to variable names. A Keras variable's name is its short name
("kernel", "bias"), the same for every Dense layer, so the sets always match and the optimizer is
reused even when it does not know a variable (ValueError: Unknown variable)."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    reused = {v.name for v in model.trainable_variables} <= {
        v.name for v in optimizer._trainable_variables}
    if not reused:
        optimizer = type(optimizer).from_config(optimizer.get_config())
    model.compile(optimizer=optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), reused
