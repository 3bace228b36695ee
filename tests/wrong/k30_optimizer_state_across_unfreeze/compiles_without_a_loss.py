"""Wrong: recompiles without a loss. compile() then keeps training with the loss the model had,
but its compile config records none: the model saved and loaded back has no loss."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    # The variables the optimizer was built on (and holds moments for), compared by identity:
    # `variable in list` would compare values.
    built_on = {id(v) for v in optimizer._trainable_variables}
    reused = all(id(v) in built_on for v in model.trainable_variables)
    if not reused:
        # Same class, same settings; no state: iterations 0, moments created at its first step.
        optimizer = type(optimizer).from_config(optimizer.get_config())
    # Recompile either way: fit() would otherwise reuse the train step it traced before the
    # flags changed.
    model.compile(optimizer=optimizer)  # trains with the old loss, but records none
    return model.fit(x, y, epochs=epochs, verbose=0), reused
