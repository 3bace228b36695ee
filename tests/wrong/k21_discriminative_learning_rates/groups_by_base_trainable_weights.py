"""Wrong: the base group is `base.trainable_weights`. When the base itself is frozen and only some
of its layers were unfrozen afterwards, `base.trainable_weights` is empty, yet the outer model
still trains those layers: they land in the head's group and train at head_lr."""
import keras


def compile_with_two_learning_rates(model: keras.Model, base, base_lr: float, head_lr: float,
                                    loss="mse", optimizer=keras.optimizers.Adam) -> keras.Model:
    base_optimizer = optimizer(learning_rate=base_lr)
    head_optimizer = optimizer(learning_rate=head_lr)
    base_ids = {id(v) for v in base.trainable_weights}
    model.compile(optimizer=keras.optimizers.MultiOptimizer(
        lambda v: base_optimizer if id(v) in base_ids else head_optimizer), loss=loss)
    return model
