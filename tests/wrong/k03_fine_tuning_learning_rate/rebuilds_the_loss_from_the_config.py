"""Wrong: compiles again from the whole compile config, deserialized, with only the optimizer
replaced. The loss is rebuilt from its config too, and a config can miss an argument: on this
Keras, keras.losses.Huber(delta=0.5) comes back with delta=1.0. model.loss is the loss itself."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    config = keras.saving.deserialize_keras_object(model.get_compile_config())
    config["optimizer"] = keras.optimizers.Adam(base_learning_rate / 10)
    model.compile(**config)
    return model
