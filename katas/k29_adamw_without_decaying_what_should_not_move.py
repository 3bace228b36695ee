"""Kata 29: AdamW that decays neither biases, norms nor frozen layers.

Why it matters
--------------
Weight decay pulls weights towards zero at every step, so that a model does not lean on a few
large weights. Fine-tuning recipes (BERT's among them) decay the kernels but leave alone the
biases and the gamma and beta of normalization layers: there are few of them, they shift and
scale rather than mix the inputs, and pulling a LayerNormalization's gamma towards 0 shrinks
everything it outputs.

`keras.optimizers.AdamW(learning_rate, weight_decay=0.004)` decays every variable it updates,
whatever its gradient: at each step, besides the Adam step, it shrinks the variable by
learning_rate x weight_decay of itself, `w <- w - learning_rate * weight_decay * w` (decoupled
weight decay). Its default weight_decay is 0.004. It updates only the variables fit() trains, so
a frozen layer is never decayed, and neither are BatchNormalization's moving statistics (they are
not trainable). A weight that is exactly 0 stays 0: a bias that starts at 0 shows no decay until
it has trained. (Kata 20 met this decay from the other side: it moves even the rows whose gradient
a mask sets to 0.)

`optimizer.exclude_from_weight_decay(var_list=None, var_names=None)` takes variables out of the
decay, and only out of the decay: an excluded variable still trains by its gradient.

* `var_list` compares variables by identity: the surest way.
* `var_names` is a list of regular expressions searched in each variable's name. On the TensorFlow
  backend that is the TensorFlow variable's name, its path and ":0" (`"debias/kernel:0"` for the
  kernel of a layer named "debias"), not the short Keras name (`variable.name`, here
  `"kernel"`): `var_names=["bias"]` also excludes that kernel.
* Each call replaces what the previous call set, both lists: call it once, with everything.

`model.weights` holds the variables of nested models too; `model.layers` does not enter them.

Your task
---------
Write `compile_with_adamw(model, learning_rate, weight_decay=0.004)`:

* Compile `model` with a new `keras.optimizers.AdamW` with this `learning_rate` and
  `weight_decay` (by default 0.004, AdamW's own default) and the loss `"mse"`; return that
  optimizer.
* Exclude from weight decay every bias, and the gamma and beta of every LayerNormalization and
  BatchNormalization layer, nested models included. They still train.
* Every other variable that fit() trains (the kernels) is decayed, whatever its layer is called.
* Leave the trainable flags as they are: a frozen layer stays frozen, so fit() leaves it
  bit-identical.

Example
-------
A model whose output is multiplied by 0 gets a gradient of exactly 0 for every weight, so
whatever a step still changes, weight decay changed:

    >>> from keras import layers
    >>> model = keras.Sequential([keras.Input((4,)),
    ...                           layers.Dense(8, bias_initializer="ones", name="dense"),
    ...                           layers.LayerNormalization(name="norm"),
    ...                           layers.Dense(1, name="out"),
    ...                           layers.Rescaling(0.0, name="times_zero")])
    >>> optimizer = compile_with_adamw(model, learning_rate=0.1)
    >>> type(optimizer).__name__, optimizer.weight_decay
    ('AdamW', 0.004)
    >>> before = [v.numpy().copy() for v in model.trainable_weights]
    >>> x, y = np.ones((8, 4), "float32"), np.zeros((8, 1), "float32")
    >>> _ = model.fit(x, y, epochs=1, verbose=0)     # one step: 8 samples in one batch
    >>> [v.path for v, old in zip(model.trainable_weights, before)
    ...  if not np.array_equal(v.numpy(), old)]    # decayed: the kernels only
    ['sequential/dense/kernel', 'sequential/out/kernel']

Run `make kata N=29` to check your work, `make hint N=29` if you are stuck.
"""
import keras


def compile_with_adamw(model: keras.Model, learning_rate: float,
                       weight_decay: float = 0.004) -> keras.optimizers.AdamW:
    raise NotImplementedError("AdamW(learning_rate, weight_decay), biases and norms excluded, "
                              "compile with mse, return the optimizer")
