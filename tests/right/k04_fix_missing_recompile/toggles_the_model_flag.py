"""Right: unfreezes everything with model.trainable = False and then True (on the TensorFlow
backend, False then True reaches every layer at every depth), recompiles from the whole compile
config with a new Adam and the loss object itself, and trains with another batch size: once
recompiled, any batch size is fine."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    model.trainable = False
    model.trainable = True
    config = keras.saving.deserialize_keras_object(model.get_compile_config())
    config.update(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=model.loss)
    model.compile(**config)
    return model.fit(x, y, batch_size=16, epochs=epochs, verbose=0)
