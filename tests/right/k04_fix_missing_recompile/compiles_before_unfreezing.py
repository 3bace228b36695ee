"""Right: compiles first and unfreezes afterwards. compile() throws away the step traced in stage
one and the new Adam is built at the next fit(), so flags changed between compile() and that fit()
are taken into account."""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=model.loss, metrics=metrics)
    stack = [model]
    while stack:
        for layer in stack.pop().layers:
            layer.trainable = True
            if isinstance(layer, keras.Model):
                stack.append(layer)
    return model.fit(x, y, epochs=epochs, verbose=0)
