"""Right: excludes the variables themselves (var_list), found by walking the layers, nested models
included: every layer's bias, and the gamma and beta of each LayerNormalization and
BatchNormalization layer."""
import keras


def all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from all_layers(layer)


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    excluded = []
    for layer in all_layers(model):
        if getattr(layer, "bias", None) is not None:
            excluded.append(layer.bias)
        if isinstance(layer, (keras.layers.LayerNormalization, keras.layers.BatchNormalization)):
            excluded += [v for v in (layer.gamma, layer.beta) if v is not None]
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=excluded)
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
