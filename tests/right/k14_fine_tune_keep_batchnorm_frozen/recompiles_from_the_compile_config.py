"""Right: every layer of the base set by a recursive walk (the base's own flag is left False when
it arrives frozen: the outer model still trains the layers whose own flag is True), then compiled
again from the model's whole compile config (loss, metrics and the rest, deserialized into new
objects) with only the optimizer replaced."""
import keras


def unfreeze_for_fine_tuning(model, base, learning_rate=1e-5):
    def walk(container):
        for layer in container.layers:
            layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
            if isinstance(layer, keras.Model):
                walk(layer)
    walk(base)
    config = model.get_compile_config()
    config.pop("optimizer")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  **keras.saving.deserialize_keras_object(config))
    return model
