"""Wrong: computes the loss to return with a first model(x, training=True) call before the tape,
then runs the model again inside it. The returned loss is right, but the step ran the model twice
in training mode: a trainable BatchNormalization layer updated its moving statistics twice."""
import keras
import tensorflow as tf


def train_step(model: keras.Model, optimizer: keras.optimizers.Optimizer, loss_fn, x, y) -> float:
    loss_value = float(loss_fn(y, model(x, training=True)))
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss_value
