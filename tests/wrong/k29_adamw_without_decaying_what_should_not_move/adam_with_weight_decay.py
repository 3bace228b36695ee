"""Wrong: compiles with keras.optimizers.Adam(weight_decay=...) instead of AdamW. Adam decays the
same way once given weight_decay (and its exclusions work the same), but the task asks for AdamW,
whose decay is on by default."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.Optimizer:
    excluded = [v for v in model.weights if v.name in ("bias", "gamma", "beta")]
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=excluded)
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
