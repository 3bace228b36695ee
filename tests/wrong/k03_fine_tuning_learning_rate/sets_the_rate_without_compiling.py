"""Wrong: only lowers the learning rate of the current optimizer and never compiles, so the model
keeps the optimizer of the first stage."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    model.optimizer.learning_rate = base_learning_rate / 10
    return model
