"""Wrong: builds AdamW without the learning rate it is given, so it trains (and decays) at AdamW's
default rate, 0.001."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    excluded = [v for v in model.weights if v.name in ("bias", "gamma", "beta")]
    optimizer = keras.optimizers.AdamW(weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=excluded)
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
