"""Right: a model that wraps the learner's model, with a custom train_step that applies the
gradients and then puts the frozen rows back, before the next step begins (weight decay
included)."""
import keras
import numpy as np
import tensorflow as tf


class RowKeepingTrainer(keras.Model):
    def __init__(self, inner, kernel, rows):
        super().__init__()
        self.inner = inner
        self.kernel = kernel
        self.rows = rows
        self.kept = tf.constant(np.array(kernel.numpy()[:rows], copy=True))

    def call(self, inputs, training=None):
        return self.inner(inputs, training=training)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=True))
        variables = self.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        self.kernel.assign(tf.concat([self.kept, self.kernel[self.rows:]], axis=0))
        return {"loss": loss}


def train_with_frozen_rows(model: keras.Model, layer_name: str, rows: int, x, y, optimizer,
                           epochs: int = 1, batch_size: int = 16) -> keras.callbacks.History:
    trainer = RowKeepingTrainer(model, model.get_layer(layer_name).kernel, rows)
    trainer.compile(optimizer=optimizer, loss="mse")
    return trainer.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
