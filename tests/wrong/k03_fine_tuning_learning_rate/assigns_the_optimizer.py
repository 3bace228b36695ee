"""Wrong: gives the model its new Adam by assignment (model.optimizer = ...) instead of compile().
The model reports the new optimizer, but the fit() that follows does not train with it."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    model.optimizer = keras.optimizers.Adam(learning_rate=base_learning_rate / 10)
    return model
