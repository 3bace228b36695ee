"""Wrong: compiles without loss=. fit() goes on computing the old loss, but the compile config (what
model.save() writes) now says None, so the model saved after fine-tuning cannot evaluate() once
loaded."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate / 10),
                  metrics=metrics)
    return model
