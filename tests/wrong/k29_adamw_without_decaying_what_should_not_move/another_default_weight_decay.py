"""Wrong: defaults weight_decay to 0.01 (another library's AdamW default) instead of Keras AdamW's
own default, 0.004."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.01) -> keras.optimizers.AdamW:
    excluded = [v for v in model.weights if v.name in ("bias", "gamma", "beta")]
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=excluded)
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
