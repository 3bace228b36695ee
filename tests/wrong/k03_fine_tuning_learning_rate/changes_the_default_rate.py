"""Wrong: retypes the signature with base_learning_rate=1e-2, so a call without it compiles at
1e-3 instead of a tenth of the default 1e-3."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-2) -> keras.Model:
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate / 10),
                  loss=model.loss, metrics=metrics)
    return model
