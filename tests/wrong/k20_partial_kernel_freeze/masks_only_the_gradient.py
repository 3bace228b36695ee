"""Wrong: a custom train_step that zeroes the gradient of the frozen rows. Exact with SGD, Adam or
RMSprop as long as they have no weight decay, but weight decay (AdamW's, or SGD(weight_decay=...),
Adam(weight_decay=...), ...) shrinks each weight directly, even one whose gradient is zero, so the
masked rows still move."""
import keras
import numpy as np
import tensorflow as tf


class MaskedTrainer(keras.Model):
    def __init__(self, inner, kernel, rows):
        super().__init__()
        self.inner = inner
        self.kernel_id = id(kernel)
        mask = np.ones(kernel.shape, "float32")
        mask[:rows] = 0.0
        self.mask = tf.constant(mask)

    def call(self, inputs, training=None):
        return self.inner(inputs, training=training)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=True))
        variables = self.trainable_variables
        grads = tape.gradient(loss, variables)
        grads = [g * self.mask if id(v) == self.kernel_id else g for g, v in zip(grads, variables)]
        self.optimizer.apply_gradients(zip(grads, variables))
        return {"loss": loss}


def train_with_frozen_rows(model: keras.Model, layer_name: str, rows: int, x, y, optimizer,
                           epochs: int = 1, batch_size: int = 16) -> keras.callbacks.History:
    trainer = MaskedTrainer(model, model.get_layer(layer_name).kernel, rows)
    trainer.compile(optimizer=optimizer, loss="mse")
    return trainer.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
