"""Right: sets every layer inside the base by a recursive walk and leaves the base's own flag as it
came (False when it arrives frozen as a whole: the outer model still trains the layers whose own
flag is True); loss from model.loss, metrics from the compile config."""
import keras


def unfreeze_for_fine_tuning(model, base, learning_rate=1e-5):
    def walk(container):
        for layer in container.layers:
            layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
            if isinstance(layer, keras.Model):
                walk(layer)
    walk(base)
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=model.loss,
                  metrics=metrics)
    return model
