"""Wrong: one optimizer for the whole model, so the base trains at head_lr like the head."""
import keras


def compile_with_two_learning_rates(model: keras.Model, base, base_lr: float, head_lr: float,
                                    loss="mse", optimizer=keras.optimizers.Adam) -> keras.Model:
    model.compile(optimizer=optimizer(learning_rate=head_lr), loss=loss)
    return model
