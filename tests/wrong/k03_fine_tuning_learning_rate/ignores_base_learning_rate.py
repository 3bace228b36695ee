"""Wrong: always uses 1e-4, which is a tenth of the default base rate only; any other
base_learning_rate is ignored."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-4), loss=model.loss,
                  metrics=metrics)
    return model
