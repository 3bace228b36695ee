"""Right: model.trainable_weights is the same list as model.trainable_variables, and Keras 3's
optimizer.apply(gradients, variables) does what apply_gradients(zip(...)) does."""
import keras
import tensorflow as tf


def train_step(model: keras.Model, optimizer: keras.optimizers.Optimizer, loss_fn, x, y) -> float:
    variables = model.trainable_weights
    with tf.GradientTape() as tape:
        predictions = model(x, training=True)
        loss = loss_fn(y, predictions)
    optimizer.apply(tape.gradient(loss, variables), variables)
    return float(keras.ops.convert_to_numpy(loss))
