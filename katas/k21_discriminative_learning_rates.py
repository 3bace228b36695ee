"""Kata 21: one fit(), two learning rates: base and head.

Why it matters
--------------
When you fine-tune, the new head starts from random weights and needs large steps, while the
pretrained base should only be nudged. Training both at one learning rate means a compromise:
too small for the head or too large for the base. Discriminative learning rates (ULMFiT) give each
group its own rate inside the SAME `fit()`.

Two ways that give exact per-group steps on Keras 3.15:

* `keras.optimizers.MultiOptimizer(choose)`, new in Keras 3.15: `choose(variable)` returns the
  optimizer for each trainable variable (build the two optimizers once, outside `choose`, and
  return one of them). Pass it to `compile()` like any optimizer.
* A model with a custom `train_step` that computes the gradients once and applies them with two
  optimizers, one per group.

A tempting shortcut does not work: multiplying the base's gradients by `base_lr / head_lr` and
using one optimizer. With SGD that is the same as a smaller learning rate, but Adam divides each
step by the gradient's own running scale, so a scaled gradient gives almost the same step: Adam's
first step moves every weight by about its learning rate, whatever the gradient's size (unless the
gradient is tiny, near Adam's epsilon).

Identify the groups by object, not by name: a variable belongs to the base when it is one of
`base.weights`. Compare variables with `id()`: `variable in list_of_variables` compares values.
A variable's path does not always carry the base's name: a Sequential base's variables are called
"base/block_1/kernel", a functional base's just "block_1/kernel" (so path patterns, such as the
`keras.optimizers.OptimizerMap` that Keras documents for MultiOptimizer, can miss the base). And
take `base.weights`, not `base.trainable_weights`: a base frozen as a whole reports no trainable
weights, even when some of its layers were unfrozen again and the outer model trains them.

Your task
---------
Write `compile_with_two_learning_rates(model, base, base_lr, head_lr, loss="mse",
optimizer=keras.optimizers.Adam)`:

* `base` is a model nested in `model` (the pretrained part, Sequential or functional). Its
  variables train with learning rate `base_lr`; every other trainable variable of `model` (the
  head) with `head_lr`.
* `optimizer` is an optimizer class such as `keras.optimizers.SGD` or `keras.optimizers.Adam`:
  build each optimizer with `optimizer(learning_rate=...)`.
* Exactly the variables of `model.trainable_weights` train: layers that are frozen when the
  function is called, in the base or in the head, stay bit-identical, and a layer unfrozen again
  inside a base whose own flag is False still trains, at `base_lr`.
* Compile with `loss` and return the model to call `fit()` on: `model` itself, compiled, or a
  model that wraps it (then `fit()` on the wrapper must train `model`'s variables).

Example
-------
    >>> from keras.layers import Dense
    >>> base = keras.Sequential([keras.Input((8,)), Dense(6, name="block_1"),
    ...                          Dense(6, name="block_2")], name="base")
    >>> inputs = keras.Input((8,))
    >>> model = keras.Model(inputs, Dense(1, name="head")(base(inputs)))
    >>> base.get_layer("block_1").trainable = False      # the bottom stays frozen
    >>> trainer = compile_with_two_learning_rates(model, base, base_lr=1e-5, head_lr=1e-3,
    ...                                           optimizer=keras.optimizers.Adam)
    >>> layers = [base.get_layer("block_1"), base.get_layer("block_2"), model.get_layer("head")]
    >>> before = [layer.kernel.numpy().copy() for layer in layers]
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(32, 8)).astype("float32")
    >>> y = rng.normal(size=(32, 1)).astype("float32")
    >>> _ = trainer.fit(x, y, batch_size=32, epochs=1, verbose=0)    # one step
    >>> for layer, old in zip(layers, before):    # Adam's first step: about the learning rate
    ...     print(layer.name, f"{np.median(np.abs(layer.kernel.numpy() - old)):.0e}")
    block_1 0e+00
    block_2 1e-05
    head 1e-03

Run `make kata N=21` to check your work, `make hint N=21` if you are stuck.
"""
import keras


def compile_with_two_learning_rates(model: keras.Model, base, base_lr: float, head_lr: float,
                                    loss="mse", optimizer=keras.optimizers.Adam) -> keras.Model:
    raise NotImplementedError("compile so that base variables train at base_lr, the rest at head_lr")
