"""Wrong: masks the gradient of the frozen rows, and switches to a restoring constraint only when
the optimizer is an AdamW. Every Keras 3 optimizer accepts `weight_decay` (SGD, Adam, RMSprop...),
and weight decay is applied to the variable itself, whatever its gradient: under
`SGD(weight_decay=...)` or `Adam(weight_decay=...)` the masked rows still move."""
import keras
import numpy as np
import tensorflow as tf


class _KeepFirstRows(keras.constraints.Constraint):
    def __init__(self, frozen_rows):
        self.frozen_rows = keras.ops.convert_to_tensor(frozen_rows)

    def __call__(self, kernel):
        rows = self.frozen_rows.shape[0]
        return keras.ops.concatenate([self.frozen_rows, kernel[rows:]], axis=0)


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
    kernel = model.get_layer(layer_name).kernel
    if isinstance(optimizer, keras.optimizers.AdamW):  # the only optimizer with weight decay?
        kernel.constraint = _KeepFirstRows(kernel.numpy()[:rows])
        model.compile(optimizer=optimizer, loss="mse")
        return model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
    trainer = MaskedTrainer(model, kernel, rows)
    trainer.compile(optimizer=optimizer, loss="mse")
    return trainer.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
