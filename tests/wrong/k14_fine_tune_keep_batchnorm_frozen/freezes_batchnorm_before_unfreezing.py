"""Wrong: freezes the BatchNormalization layers first and unfreezes the base afterwards. Setting
base.trainable from False to True sets every layer inside it back to trainable, so
BatchNormalization trains again."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
        else:
            layer.trainable = True
    base.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=model.loss)
    return model
