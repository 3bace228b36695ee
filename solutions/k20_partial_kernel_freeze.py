"""Reference solution for kata 20: freeze some rows of a kernel, train the rest."""
import keras


class KeepFirstRows(keras.constraints.Constraint):
    """Puts the frozen rows back after every update: the optimizer applies a variable's constraint
    after the gradient step AND after weight decay (AdamW's, or any optimizer's weight_decay)."""

    def __init__(self, frozen_rows):
        self.frozen_rows = keras.ops.convert_to_tensor(frozen_rows)

    def __call__(self, kernel):
        rows = self.frozen_rows.shape[0]
        return keras.ops.concatenate([self.frozen_rows, kernel[rows:]], axis=0)


def train_with_frozen_rows(model: keras.Model, layer_name: str, rows: int, x, y, optimizer,
                           epochs: int = 1, batch_size: int = 16) -> keras.callbacks.History:
    kernel = model.get_layer(layer_name).kernel
    # A gradient mask would be enough for an optimizer without weight decay, but weight decay
    # (AdamW's default, or weight_decay=... on SGD, Adam, ...) shrinks each weight directly, even
    # one whose gradient is zero. A constraint runs after the whole update, so it survives decay.
    kernel.constraint = KeepFirstRows(kernel.numpy()[:rows])
    model.compile(optimizer=optimizer, loss="mse")
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
