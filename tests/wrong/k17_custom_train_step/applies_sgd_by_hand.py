"""Wrong: updates the variables by hand (v.assign_sub(0.01 * g)) instead of with the optimizer it was
given, so the optimizer's learning rate, momentum or Adam statistics play no part."""
import keras
import tensorflow as tf


def train_step(model: keras.Model, optimizer: keras.optimizers.Optimizer, loss_fn, x, y) -> float:
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    for variable, gradient in zip(model.trainable_variables, gradients):
        variable.assign_sub(0.01 * gradient)
    return float(loss)
