"""Wrong: to be sure to see every bias in model.trainable_weights, makes every layer trainable
first and never restores the flags: a layer that was frozen now trains (and is decayed)."""
import keras


def all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from all_layers(layer)


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    for layer in all_layers(model):
        layer.trainable = True
    excluded = [v for v in model.trainable_weights if v.name in ("bias", "gamma", "beta")]
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=excluded)
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
