"""Wrong: recompiles with a new SGD at the old learning rate. The rate is kept, but the model was
trained with Adam and should keep training with it."""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    model.get_layer(layer_name).trainable = False
    rate = float(model.optimizer.learning_rate)
    model.compile(optimizer=keras.optimizers.SGD(rate), loss=model.loss)
    return model.fit(x, y, epochs=epochs, verbose=0)
