"""Wrong: lowers the learning rate of the optimizer the model already has and compiles with it
again. That optimizer was built for the variables trainable in the first stage, so the next fit()
fails with 'Unknown variable' on the unfrozen layers."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    optimizer = model.optimizer
    optimizer.learning_rate = base_learning_rate / 10
    model.compile(optimizer=optimizer, loss=model.loss)
    return model
