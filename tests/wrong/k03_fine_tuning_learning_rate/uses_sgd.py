"""Wrong: right learning rate, wrong optimizer: plain SGD instead of a new Adam."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=base_learning_rate / 10),
                  loss=model.loss)
    return model
