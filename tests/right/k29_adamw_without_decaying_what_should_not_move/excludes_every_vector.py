"""Right: decays only the variables of two or more dimensions (kernels) and excludes every vector:
in these layers the vectors are exactly the biases, gammas and betas (a common rule of thumb in
language-model training code)."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=[v for v in model.weights if len(v.shape) < 2])
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
