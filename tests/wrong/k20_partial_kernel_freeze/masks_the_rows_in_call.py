"""Wrong: keeps the rows with a restoring constraint, and also multiplies the inputs that meet the
frozen rows by 0 in the layer's call, to keep them "out of training". The rows stay bit-identical,
but the model no longer uses them at all: its output changes."""
import keras
import numpy as np


class KeepFirstRows(keras.constraints.Constraint):
    def __init__(self, frozen_rows):
        self.frozen_rows = keras.ops.convert_to_tensor(frozen_rows)

    def __call__(self, kernel):
        rows = self.frozen_rows.shape[0]
        return keras.ops.concatenate([self.frozen_rows, kernel[rows:]], axis=0)


def train_with_frozen_rows(model: keras.Model, layer_name: str, rows: int, x, y, optimizer,
                           epochs: int = 1, batch_size: int = 16) -> keras.callbacks.History:
    layer = model.get_layer(layer_name)
    layer.kernel.constraint = KeepFirstRows(layer.kernel.numpy()[:rows])
    mask = np.ones(layer.kernel.shape[0], "float32")
    mask[:rows] = 0.0
    plain_call = layer.call

    def masked_call(inputs, *args, **kwargs):
        return plain_call(inputs * mask, *args, **kwargs)

    layer.call = masked_call
    model.compile(optimizer=optimizer, loss="mse")
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
