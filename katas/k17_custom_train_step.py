"""Kata 17: a GradientTape training step that respects frozen layers.

Why it matters
--------------
`fit()` is not the only way to train. Custom training loops (GANs, reinforcement learning,
distillation, research code) write the step by hand with `tf.GradientTape`, and then nothing in
Keras enforces freezing for you: the tape computes a gradient for any variable you ask it about,
frozen or not, and the optimizer applies whatever you hand it. Freezing is honoured only if your
step asks for the gradients of `model.trainable_variables`, the list that leaves out every frozen
layer (nested ones included). Ask for `model.weights` instead and the "frozen" pretrained layers
are trained anyway.

A second trap: calling the model as `model(x)` runs it in inference mode. BatchNormalization then
normalises with its moving statistics and never updates them, and Dropout drops nothing. A training
step must call `model(x, training=True)`. Freezing (`trainable`) and the mode (`training`) are two
different switches: kata 18 sets them apart.

Your task
---------
Write `train_step(model, optimizer, loss_fn, x, y)` that performs ONE training step:

* inside a `tf.GradientTape`, compute `loss = loss_fn(y, model(x, training=True))` (just this loss:
  the test models have no regularization losses). That is the step's one call of the model: each
  call in training mode updates the BatchNormalization statistics again;
* take the gradients of the loss with respect to `model.trainable_variables` and apply them with
  `optimizer.apply_gradients(...)` (the given optimizer, which may be new and not yet built);
* return the loss of this step, computed before the update, as a Python `float`.

Afterwards every frozen layer is bit-identical; every trainable layer has moved; a trainable
BatchNormalization layer has updated its moving statistics once; the optimizer counts one more
iteration.

Example
-------
    >>> from keras.layers import BatchNormalization, Dense
    >>> x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    >>> y = np.tanh(x[:, :1])
    >>> model = keras.Sequential([keras.Input((4,)), BatchNormalization(name="bn"),
    ...                           Dense(8, activation="tanh", name="dense_1"), Dense(1, name="out")])
    >>> model.get_layer("dense_1").trainable = False
    >>> frozen = model.get_layer("dense_1").kernel.numpy().copy()
    >>> optimizer = keras.optimizers.SGD(0.1)
    >>> losses = [train_step(model, optimizer, keras.losses.MeanSquaredError(), x, y)
    ...           for step in range(20)]
    >>> type(losses[0]).__name__, losses[-1] < losses[0], int(optimizer.iterations.numpy())
    ('float', True, 20)
    >>> np.array_equal(frozen, model.get_layer("dense_1").kernel.numpy())  # dense_1 never moved
    True

Run `make kata N=17` to check your work, `make hint N=17` if you are stuck.
"""
import keras
import tensorflow as tf


def train_step(model: keras.Model, optimizer: keras.optimizers.Optimizer, loss_fn, x, y) -> float:
    raise NotImplementedError("one GradientTape step over model.trainable_variables; return the "
                              "loss as a float")
