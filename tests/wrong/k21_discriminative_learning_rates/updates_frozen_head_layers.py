"""Wrong: two optimizers in a custom train_step; the base group is right, but the head group is
every variable of the model outside the base, frozen head layers included. The gradient tape
still reaches them, so a head layer the caller had frozen trains at head_lr."""
import keras
import tensorflow as tf


class TwoRateTrainer(keras.Model):
    def __init__(self, inner, base, base_optimizer, head_optimizer):
        super().__init__()
        self.inner = inner
        self.base_ids = {id(v) for v in base.weights}
        self.base_optimizer = base_optimizer
        self.head_optimizer = head_optimizer

    def call(self, inputs, training=None):
        return self.inner(inputs, training=training)

    def train_step(self, data):
        x, y = data
        base_variables = [v for v in self.inner.trainable_variables if id(v) in self.base_ids]
        head_variables = [v for v in self.inner.weights if id(v) not in self.base_ids]
        with tf.GradientTape() as tape:
            loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=True))
        base_grads, head_grads = tape.gradient(loss, [base_variables, head_variables])
        self.base_optimizer.apply_gradients(zip(base_grads, base_variables))
        self.head_optimizer.apply_gradients(zip(head_grads, head_variables))
        return {"loss": loss}


def compile_with_two_learning_rates(model: keras.Model, base, base_lr: float, head_lr: float,
                                    loss="mse", optimizer=keras.optimizers.Adam) -> keras.Model:
    trainer = TwoRateTrainer(model, base, optimizer(learning_rate=base_lr),
                             optimizer(learning_rate=head_lr))
    trainer.compile(optimizer=optimizer(learning_rate=head_lr), loss=loss)
    return trainer
