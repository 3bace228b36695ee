"""Kata 20: freeze some rows of a kernel, train the rest.

Why it matters
--------------
`trainable` freezes whole variables. Sometimes only part of one must stay put: a model whose
vocabulary grew keeps the pretrained embeddings of the old words exactly and learns only the new
ones. In a Dense layer, row `i` of the kernel (shape `(inputs, units)`) holds the weights of input
`i`, so "keep the old inputs' weights" means: keep the first `rows` rows of the kernel bit-exact
and train everything else.

The classic trick masks the gradient: multiply the kernel's gradient by 0 on the frozen rows in a
custom `train_step`. With SGD, momentum, Adam or RMSprop those rows then stay bit-exact. With
AdamW they do not: its decoupled weight decay shrinks each weight directly, even one whose
gradient is zero. What survives AdamW too is to put the rows back after every update. The optimizer applies a
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
* Everything else trains: the other rows of that kernel, its bias and every other layer.
* Compile `model` (or a model that wraps it and trains its variables) with `optimizer` (a new
  optimizer object, possibly `keras.optimizers.AdamW`) and the loss `"mse"`, train it on `x`, `y`
  for `epochs` epochs with `batch_size`, and return the `History` that `fit()` returns.
* The model must still compute with all of its weights, the frozen rows included. Whatever you
  attach to keep the rows in place (a constraint, a callback) may stay attached afterwards.

Example
-------
    layer = model.get_layer("embed_words")
    old = layer.kernel.numpy()[:1000].copy()        # rows of the 1000 pretrained words
    train_with_frozen_rows(model, "embed_words", 1000, x, y,
                           keras.optimizers.AdamW(1e-3, weight_decay=0.01), epochs=3)
    np.array_equal(layer.kernel.numpy()[:1000], old)    # True: not a single bit moved
    # rows 1000 and up, the bias and the other layers have learned

Run `make kata N=20` to check your work, `make hint N=20` if you are stuck.
"""
import keras


def train_with_frozen_rows(model: keras.Model, layer_name: str, rows: int, x, y, optimizer,
                           epochs: int = 1, batch_size: int = 16) -> keras.callbacks.History:
    raise NotImplementedError("keep kernel[:rows] of layer_name bit-exact while the rest trains")
