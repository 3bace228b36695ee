"""Reference solution for kata 29: AdamW that decays neither biases, norms nor frozen layers."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    # model.weights holds every variable, nested models' included. A Keras variable's `name` is
    # its short name ("bias", "gamma", "kernel"), compared here exactly; var_names=[...] would be
    # searched in the TensorFlow variable's full name instead ("debias/kernel:0" contains "bias").
    # Frozen variables need nothing: the optimizer is never asked to update them.
    excluded = [v for v in model.weights if v.name in ("bias", "gamma", "beta")]
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=excluded)  # one call: a second one replaces it
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
