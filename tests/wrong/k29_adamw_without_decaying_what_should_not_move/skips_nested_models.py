"""Wrong: walks model.layers, which does not enter a nested model: the biases and the
normalization parameters inside the nested block are decayed."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    excluded = []
    for layer in model.layers:
        if getattr(layer, "bias", None) is not None:
            excluded.append(layer.bias)
        if isinstance(layer, (keras.layers.LayerNormalization, keras.layers.BatchNormalization)):
            excluded += [layer.gamma, layer.beta]
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=excluded)
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
