"""Wrong: excludes the biases but forgets the normalization layers: the gamma and beta of every
LayerNormalization and BatchNormalization layer are decayed."""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    optimizer.exclude_from_weight_decay(var_list=[v for v in model.weights if v.name == "bias"])
    model.compile(optimizer=optimizer, loss="mse")
    return optimizer
