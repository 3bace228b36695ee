"""Wrong: builds the fresh optimizer from its class and learning rate only, so every other
setting (an SGD's momentum, for one) falls back to its default."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    built_on = {id(v) for v in optimizer._trainable_variables}
    reused = all(id(v) in built_on for v in model.trainable_variables)
    if not reused:
        optimizer = type(optimizer)(learning_rate=float(optimizer.learning_rate))
    model.compile(optimizer=optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), reused
