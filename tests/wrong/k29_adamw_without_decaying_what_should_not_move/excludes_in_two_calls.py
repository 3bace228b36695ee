"""Wrong: calls exclude_from_weight_decay twice, first with the biases, then with the normalization
parameters. Each call replaces what the previous one set (both lists), so the biases are decayed
after all."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=[v for v in model.weights if v.name == "bias"])
    optimizer.exclude_from_weight_decay(
        var_list=[v for v in model.weights if v.name in ("gamma", "beta")])
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
