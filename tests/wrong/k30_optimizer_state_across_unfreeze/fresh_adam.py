"""Wrong: when a fresh optimizer is needed, always builds a keras.optimizers.Adam with the old
learning rate, whatever class the model was trained with."""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    optimizer = model.optimizer
    built_on = {id(v) for v in optimizer._trainable_variables}
    reused = all(id(v) in built_on for v in model.trainable_variables)
    if not reused:
        optimizer = keras.optimizers.Adam(float(optimizer.learning_rate))
    model.compile(optimizer=optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0), reused
