"""Wrong: "unfreezes everything" with model.trainable = True, a silent no-op on the TensorFlow
backend when the model's flag is already True: layers frozen one by one, and a base frozen with
base.trainable = False, stay frozen."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    model.trainable = True
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss,
                  metrics=metrics)
    return model.fit(x, y, epochs=epochs, verbose=0)
