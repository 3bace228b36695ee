"""Wrong: follows a fine-tuning tip too early and keeps every BatchNormalization layer frozen, even
one among the top k, which the statement says trains (gamma, beta and its moving statistics)."""
import keras


def unfreeze_top_layers(base: keras.Model, k: int) -> keras.Model:
    weighted = [layer for layer in base.layers if layer.weights]
    if not 0 <= k <= len(weighted):
        raise ValueError(k)
    base.trainable = True
    for index, layer in enumerate(weighted):
        is_batch_norm = isinstance(layer, keras.layers.BatchNormalization)
        layer.trainable = index >= len(weighted) - k and not is_batch_norm
    return base
