"""Wrong: sets model.trainable to False then True before deciding, to be sure that what was
unfrozen trains. That unfreezes every layer, also those the caller left frozen."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    model.trainable = False
    model.trainable = True
    optimizer = model.optimizer
    built_on = {id(v) for v in optimizer._trainable_variables}
    reused = all(id(v) in built_on for v in model.trainable_variables)
    if not reused:
        optimizer = type(optimizer).from_config(optimizer.get_config())
    model.compile(optimizer=optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), reused
