"""Wrong: keeps the biases and the normalization parameters away from the decay by freezing them
(variable.trainable = False). They are not decayed, but they no longer train either: excluded
from weight decay should still mean trained by the gradient."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    for variable in model.weights:
        if variable.name in ("bias", "gamma", "beta"):
            variable.trainable = False
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
