"""Wrong: sets every layer's flag, `trainable = not isinstance(layer, BatchNormalization)`, as in
a fine-tuning recipe. The BatchNormalization layers are frozen, but a layer that arrived frozen
(a frozen pretrained base, say) is unfrozen: the other layers were to stay as they were."""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    frozen = 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
            frozen += 1
        else:
            layer.trainable = True
            if isinstance(layer, keras.Model):
                frozen += freeze_batchnorm(layer)
    return frozen
