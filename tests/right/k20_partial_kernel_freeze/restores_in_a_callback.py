"""Right: a callback that writes the frozen rows back after every batch, so each step starts from
them (weight decay included)."""
import keras
import numpy as np


class RestoreRows(keras.callbacks.Callback):
    def __init__(self, kernel, rows):
        super().__init__()
        self.kernel = kernel
        self.kept = np.array(kernel.numpy()[:rows], copy=True)

    def on_train_batch_end(self, batch, logs=None):
        now = self.kernel.numpy()
        now[: len(self.kept)] = self.kept
        self.kernel.assign(now)


def train_with_frozen_rows(model: keras.Model, layer_name: str, rows: int, x, y, optimizer,
                           epochs: int = 1, batch_size: int = 16) -> keras.callbacks.History:
    kernel = model.get_layer(layer_name).kernel
    model.compile(optimizer=optimizer, loss="mse")
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0,
                     callbacks=[RestoreRows(kernel, rows)])
