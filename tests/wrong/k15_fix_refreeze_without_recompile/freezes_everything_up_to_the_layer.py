"""Wrong: freezes the named layer and every layer below it (the fine_tune_at recipe), then
recompiles. Only the named layer was to be frozen: the layers below it must keep learning."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    for layer in model.layers:
        layer.trainable = False
        if layer.name == layer_name:
            break
    model.compile(optimizer=model.optimizer, loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0)
