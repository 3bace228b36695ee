"""Right: a model that wraps the learner's model, whose train_step computes the gradients of the
trainable variables once and applies them with two optimizers, one per group."""
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
        variables = self.inner.trainable_variables
        with tf.GradientTape() as tape:
            loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=True))
        pairs = list(zip(tape.gradient(loss, variables), variables))
        base = [(g, v) for g, v in pairs if id(v) in self.base_ids]
        head = [(g, v) for g, v in pairs if id(v) not in self.base_ids]
        self.base_optimizer.apply_gradients(base)
        self.head_optimizer.apply_gradients(head)
        return {"loss": loss}


def compile_with_two_learning_rates(model: keras.Model, base, base_lr: float, head_lr: float,
                                    loss="mse", optimizer=keras.optimizers.Adam) -> keras.Model:
    trainer = TwoRateTrainer(model, base, optimizer(learning_rate=base_lr),
                             optimizer(learning_rate=head_lr))
    trainer.compile(optimizer=optimizer(learning_rate=head_lr), loss=loss)
    return trainer
