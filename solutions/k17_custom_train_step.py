"""Reference solution for kata 17: a GradientTape step that respects frozen layers."""
import keras
import tensorflow as tf


def train_step(model: keras.Model, optimizer: keras.optimizers.Optimizer, loss_fn, x, y) -> float:
    with tf.GradientTape() as tape:
        # training=True: BatchNormalization uses and updates batch statistics, Dropout drops.
        loss = loss_fn(y, model(x, training=True))
    # Only the trainable variables: frozen layers (nested ones too) are left out of this list.
    variables = model.trainable_variables
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return float(loss)
