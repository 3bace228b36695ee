"""Wrong: recompiles with optimizer="adam", a new Adam at its default learning rate (1e-3), so the
model no longer trains at the learning rate it was compiled with."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    model.compile(optimizer="adam", loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0)
