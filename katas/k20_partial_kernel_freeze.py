"""Kata 20: freeze some rows of a kernel, train the rest.

Why it matters
--------------
`trainable` freezes whole variables. Sometimes only part of one must stay put: a model whose
vocabulary grew keeps the pretrained embeddings of the old words exactly and learns only the new
ones. In a Dense layer, row `i` of the kernel (shape `(inputs, units)`) holds the weights of input
`i`, so "keep the old inputs' weights" means: keep the first `rows` rows of the kernel bit-exact
and train everything else.

The classic trick masks the gradient: multiply the kernel's gradient by 0 on the frozen rows in a
custom `train_step`. With SGD, momentum, Adam or RMSprop those rows then stay bit-exact, but only
as long as the optimizer has no weight decay. Weight decay shrinks the variable itself, even a
weight whose gradient is zero, and every Keras 3 optimizer accepts it: `AdamW` has it by default
(`weight_decay=0.004`), and `SGD`, `Adam`, `RMSprop`, ... have it once given
`weight_decay=...`. (A variable with `trainable = False` is never decayed: the optimizer never
sees it. But that freezes all of its rows.)

What survives weight decay is to put the rows back after every update. The optimizer applies a
variable's `constraint` after each update (weight decay included), and `variable.constraint` can
be set on a layer that is already built. A custom `train_step` that restores the rows after
`apply_gradients`, or a callback that does it after each batch, works too.

Masking in the forward pass is not freezing: multiplying the frozen rows (or the inputs that meet
them) by zero inside `call` stops their gradient, but the model no longer uses them.

Your task
---------
Write `train_with_frozen_rows(model, layer_name, rows, x, y, optimizer, epochs=1, batch_size=16)`:

* `model.get_layer(layer_name)` is a Dense layer of `model`. Keep rows `0 .. rows-1` of its kernel
  bit-identical, at every training step and at the end.
* Everything else that is trainable trains: the other rows of that kernel, its bias and every
  other layer. A layer that is frozen when the function is called stays frozen.
* Compile `model` (or a model that wraps it and trains its variables) with `optimizer` (a new
  optimizer object of any kind, with or without weight decay: `keras.optimizers.AdamW`,
  `keras.optimizers.SGD(weight_decay=...)`, ...) and the loss `"mse"`, train it on `x`, `y` for
  `epochs` epochs with `batch_size`, and return the `History` that `fit()` returns.
* The model must still compute with all of its weights, the frozen rows included. Whatever you
  attach to keep the rows in place (a constraint, a callback) may stay attached afterwards.

Example
-------
    >>> from keras.layers import Dense
    >>> model = keras.Sequential([keras.Input((4,)), Dense(3, name="words"), Dense(1)])
    >>> kernel = model.get_layer("words").kernel
    >>> old = kernel.numpy().copy()          # rows 0 and 1: the inputs of two pretrained words
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(32, 4)).astype("float32")
    >>> y = rng.normal(size=(32, 1)).astype("float32")
    >>> history = train_with_frozen_rows(model, "words", 2, x, y,
    ...                                  keras.optimizers.Adam(1e-2, weight_decay=0.1), epochs=3)
    >>> len(history.history["loss"])         # one loss per epoch
    3
    >>> bool(np.array_equal(kernel.numpy()[:2], old[:2]))   # not a single bit moved
    True
    >>> bool((kernel.numpy()[2:] != old[2:]).all())         # rows 2 and 3 have learned
    True

Run `make kata N=20` to check your work, `make hint N=20` if you are stuck.
"""
import keras


def train_with_frozen_rows(model: keras.Model, layer_name: str, rows: int, x, y, optimizer,
                           epochs: int = 1, batch_size: int = 16) -> keras.callbacks.History:
    raise NotImplementedError("keep kernel[:rows] of layer_name bit-exact while the rest trains")
