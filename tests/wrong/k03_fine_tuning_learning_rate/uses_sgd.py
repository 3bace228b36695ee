"""Wrong: right learning rate, wrong optimizer: plain SGD instead of a new Adam."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=base_learning_rate / 10),
                  loss=model.loss, metrics=metrics)
    return model
