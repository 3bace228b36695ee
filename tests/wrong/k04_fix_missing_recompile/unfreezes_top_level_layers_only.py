"""Wrong: recompiles correctly, but unfreezes only the entries of model.layers. Setting
base.trainable = True on a base whose flag is already True is a no-op on the TensorFlow backend,
so layers frozen one by one inside it stay frozen."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    for layer in model.layers:
        layer.trainable = True
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss,
                  metrics=metrics)
    return model.fit(x, y, epochs=epochs, verbose=0)
