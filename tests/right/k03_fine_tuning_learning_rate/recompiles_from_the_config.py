"""Right: compiles again from the whole compile config, deserialized, with the optimizer replaced
and the loss taken from model.loss (the very object the model was compiled with): metrics and every
other compile() argument are kept as they were given."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    config = keras.saving.deserialize_keras_object(model.get_compile_config())
    config.update(optimizer=keras.optimizers.Adam(base_learning_rate / 10), loss=model.loss)
    model.compile(**config)
    return model
