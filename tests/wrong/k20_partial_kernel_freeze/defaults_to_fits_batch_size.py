"""Wrong: its `batch_size` parameter defaults to None ("fit() knows best"), so a call that leaves
it out trains with fit()'s default of 32 samples per step instead of the 16 the signature says."""
import keras


class _KeepFirstRows(keras.constraints.Constraint):
    def __init__(self, frozen_rows):
        self.frozen_rows = keras.ops.convert_to_tensor(frozen_rows)

    def __call__(self, kernel):
        rows = self.frozen_rows.shape[0]
        return keras.ops.concatenate([self.frozen_rows, kernel[rows:]], axis=0)


def train_with_frozen_rows(model: keras.Model, layer_name: str, rows: int, x, y, optimizer,
                           epochs: int = 1, batch_size=None) -> keras.callbacks.History:
    kernel = model.get_layer(layer_name).kernel
    kernel.constraint = _KeepFirstRows(kernel.numpy()[:rows])
    model.compile(optimizer=optimizer, loss="mse")
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
