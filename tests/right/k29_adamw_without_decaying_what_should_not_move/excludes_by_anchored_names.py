"""Right: excludes by name (var_names), with patterns anchored to the end of the name and to a
"/" or its start, so that "bias" matches the TensorFlow name "encoder/bias:0" but not
"debias/kernel:0" (on the TensorFlow backend var_names is searched in that full name)."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(
        var_names=[rf"(^|/){name}(:\d+)?$" for name in ("bias", "gamma", "beta")])
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
