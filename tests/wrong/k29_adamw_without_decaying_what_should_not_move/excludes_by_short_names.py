"""Wrong: excludes by name with var_names=["bias", "gamma", "beta"]. On the TensorFlow backend
these strings are searched in each variable's TensorFlow name, its full path ("debias/kernel:0"),
so the kernel of a layer whose name contains "bias" is excluded too and never decays."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_names=["bias", "gamma", "beta"])
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
