"""Wrong: returns a compiled copy of the model (clone_model with the same weights) with the two
learning rates. fit() on the copy trains the copy's own variables: `model`, the one the caller
holds, never changes."""
import keras


def compile_with_two_learning_rates(model: keras.Model, base, base_lr: float, head_lr: float,
                                    loss="mse", optimizer=keras.optimizers.Adam) -> keras.Model:
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    base_optimizer = optimizer(learning_rate=base_lr)
    head_optimizer = optimizer(learning_rate=head_lr)
    base_ids = {id(v) for v in copy.get_layer(base.name).weights}
    copy.compile(optimizer=keras.optimizers.MultiOptimizer(
        lambda v: base_optimizer if id(v) in base_ids else head_optimizer), loss=loss)
    return copy
