"""Wrong: two learning rates done right, but compiles with "mse" whatever `loss` the caller
passed, so the model trains on another loss than the one asked for."""
import keras


def compile_with_two_learning_rates(model: keras.Model, base, base_lr: float, head_lr: float,
                                    loss="mse", optimizer=keras.optimizers.Adam) -> keras.Model:
    base_optimizer = optimizer(learning_rate=base_lr)
    head_optimizer = optimizer(learning_rate=head_lr)
    base_ids = {id(v) for v in base.weights}
    model.compile(optimizer=keras.optimizers.MultiOptimizer(
        lambda v: base_optimizer if id(v) in base_ids else head_optimizer), loss="mse")
    return model
