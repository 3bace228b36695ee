"""Wrong: one optimizer at head_lr, and the base's gradients multiplied by base_lr / head_lr in a
custom train_step. Exact with SGD, but Adam divides each step by the gradient's own scale, so the
base still moves by about head_lr."""
import keras
import tensorflow as tf


class ScaledTrainer(keras.Model):
    def __init__(self, inner, base, factor):
        super().__init__()
        self.inner = inner
        self.base_ids = {id(v) for v in base.weights}
        self.factor = factor

    def call(self, inputs, training=None):
        return self.inner(inputs, training=training)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=True))
        variables = self.trainable_variables
        grads = tape.gradient(loss, variables)
        grads = [g * self.factor if id(v) in self.base_ids else g for g, v in zip(grads, variables)]
        self.optimizer.apply_gradients(zip(grads, variables))
        return {"loss": loss}


def compile_with_two_learning_rates(model: keras.Model, base, base_lr: float, head_lr: float,
                                    loss="mse", optimizer=keras.optimizers.Adam) -> keras.Model:
    trainer = ScaledTrainer(model, base, base_lr / head_lr)
    trainer.compile(optimizer=optimizer(learning_rate=head_lr), loss=loss)
    return trainer
