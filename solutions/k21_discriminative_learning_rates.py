"""Reference solution for kata 21: one fit(), two learning rates."""
import keras


def compile_with_two_learning_rates(model: keras.Model, base, base_lr: float, head_lr: float,
                                    loss="mse", optimizer=keras.optimizers.Adam) -> keras.Model:
    base_optimizer = optimizer(learning_rate=base_lr)
    head_optimizer = optimizer(learning_rate=head_lr)
    # Compare variables by id(): `v in base.weights` compares values and raises.
    base_ids = {id(v) for v in base.weights}

    def choose(variable):
        return base_optimizer if id(variable) in base_ids else head_optimizer

    # MultiOptimizer (Keras 3.15) hands each trainable variable to the optimizer `choose` picks,
    # so frozen layers stay out of both. Scaling gradients would not do: Adam ignores their scale.
    model.compile(optimizer=keras.optimizers.MultiOptimizer(choose), loss=loss)
    return model
