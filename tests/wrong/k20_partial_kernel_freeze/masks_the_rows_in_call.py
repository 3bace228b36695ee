"""Wrong: masks in the forward pass. It patches the layer's call to multiply the inputs that meet
the frozen rows by 0: those rows get no gradient, so they do not move, but the model no longer
uses them at all (its output changes)."""
import keras
import numpy as np


def train_with_frozen_rows(model: keras.Model, layer_name: str, rows: int, x, y, optimizer,
                           epochs: int = 1, batch_size: int = 16) -> keras.callbacks.History:
    layer = model.get_layer(layer_name)
    mask = np.ones(layer.kernel.shape[0], "float32")
    mask[:rows] = 0.0
    plain_call = layer.call

    def masked_call(inputs, *args, **kwargs):
        return plain_call(inputs * mask, *args, **kwargs)

    layer.call = masked_call
    model.compile(optimizer=optimizer, loss="mse")
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
