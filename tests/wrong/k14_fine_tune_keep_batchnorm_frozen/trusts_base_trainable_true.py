"""Wrong: "unfreezes" the base with base.trainable = True, then freezes its BatchNormalization
layers. When the base's own flag is already True and its layers were frozen one by one, that
assignment is a silent no-op and every layer stays frozen."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=model.loss)
    return model
