"""Wrong: when the built optimizer can be reused, keeps training without recompiling, since the
optimizer does not change. But fit() keeps running the train step it traced before the unfreeze,
which does not train the unfrozen layers."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    built_on = {id(v) for v in optimizer._trainable_variables}
    if all(id(v) in built_on for v in model.trainable_variables):
        return model.fit(x, y, epochs=epochs, verbose=0), True
    fresh = type(optimizer).from_config(optimizer.get_config())
    model.compile(optimizer=fresh, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), False
