"""Wrong: returns the loss of the updated model (recomputed after the step, in inference mode), not
the loss of the step the gradients came from."""
import keras
import tensorflow as tf


def train_step(model: keras.Model, optimizer: keras.optimizers.Optimizer, loss_fn, x, y) -> float:
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return float(loss_fn(y, model(x)))
