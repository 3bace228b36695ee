"""Right: `model.trainable = False` then `True` changes the flag of every layer at every depth,
nested models included, so every layer ends up trainable; the variable flags come after."""
import keras


def train_only_biases(model: keras.Model) -> int:
    model.trainable = False
    model.trainable = True
    count = 0
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
        if variable.trainable:
            count += int(variable.numpy().size)
    return count
