"""Wrong: calls model.make_train_function() to retrace, but without force=True it returns the train
function it already has, so the frozen layer keeps training."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    model.make_train_function()
    return model.fit(x, y, epochs=epochs, verbose=0)
