"""Wrong: treats only the last layer as the head, so the head's other layers train at base_lr.
The head is everything that is not the base."""
import keras


def compile_with_two_learning_rates(model: keras.Model, base, base_lr: float, head_lr: float,
                                    loss="mse", optimizer=keras.optimizers.Adam) -> keras.Model:
    base_optimizer = optimizer(learning_rate=base_lr)
    head_optimizer = optimizer(learning_rate=head_lr)
    head_ids = {id(v) for v in model.layers[-1].weights}
    model.compile(optimizer=keras.optimizers.MultiOptimizer(
        lambda v: head_optimizer if id(v) in head_ids else base_optimizer), loss=loss)
    return model
