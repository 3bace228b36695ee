"""Wrong: excludes every bias and the gamma and beta of LayerNormalization layers, nested ones
included, but not those of BatchNormalization layers, which are decayed."""
import keras


def all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from all_layers(layer)


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    excluded = [v for v in model.weights if v.name == "bias"]
    for layer in all_layers(model):
        if isinstance(layer, keras.layers.LayerNormalization):
            excluded += [layer.gamma, layer.beta]
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=excluded)
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
