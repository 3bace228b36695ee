"""Wrong: lowers the learning rate of the optimizer the model already has and compiles with it
again, instead of a new Adam."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    optimizer = model.optimizer
    optimizer.learning_rate = base_learning_rate / 10
    model.compile(optimizer=optimizer, loss=model.loss, metrics=metrics)
    return model
