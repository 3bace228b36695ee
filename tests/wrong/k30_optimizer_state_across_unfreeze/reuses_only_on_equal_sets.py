"""Wrong: reuses the built optimizer only when fit() now trains exactly the variables it was built
on. The rule is a subset: an optimizer built on more variables can train fewer of them."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    reused = {id(v) for v in model.trainable_variables} == {
        id(v) for v in optimizer._trainable_variables}
    if not reused:
        optimizer = type(optimizer).from_config(optimizer.get_config())
    model.compile(optimizer=optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), reused
