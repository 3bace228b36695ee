"""Wrong: keeps the LAST `rows` rows of the kernel (kernel[-rows:]) instead of the first ones."""
import keras


class _KeepLastRows(keras.constraints.Constraint):
    def __init__(self, frozen_rows):
        self.frozen_rows = keras.ops.convert_to_tensor(frozen_rows)

    def __call__(self, kernel):
        rows = self.frozen_rows.shape[0]
        return keras.ops.concatenate([kernel[:-rows], self.frozen_rows], axis=0)


def train_with_frozen_rows(model: keras.Model, layer_name: str, rows: int, x, y, optimizer,
                           epochs: int = 1, batch_size: int = 16) -> keras.callbacks.History:
    kernel = model.get_layer(layer_name).kernel
    kernel.constraint = _KeepLastRows(kernel.numpy()[-rows:])
    model.compile(optimizer=optimizer, loss="mse")
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
