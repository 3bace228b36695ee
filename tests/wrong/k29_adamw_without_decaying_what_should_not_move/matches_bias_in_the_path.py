"""Wrong: excludes every variable whose path contains "bias", "gamma" or "beta". The path holds
the layer's name too: the kernel of a layer named "debias" is excluded and never decays."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    excluded = [v for v in model.weights
                if any(word in v.path for word in ("bias", "gamma", "beta"))]
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=excluded)
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
