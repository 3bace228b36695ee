"""Wrong: excludes the gamma and beta of the normalization layers, but forgets the biases: every
bias is decayed."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    excluded = [v for v in model.weights if v.name in ("gamma", "beta")]
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=excluded)
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
