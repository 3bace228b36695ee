"""Kata 30: optimizer state across freeze and unfreeze.

Why it matters
--------------
An optimizer is more than a learning rate. Adam keeps two moments for every variable it trains
(running averages of the gradient and of its square) and counts its steps in
`optimizer.iterations`, which its bias correction reads. Recompiling with a new optimizer after an
unfreeze throws all of that away; keeping the old one keeps it, but works only under one rule.

An optimizer is built once, at its first step (or by `optimizer.build(variables)`), on the
variables it is given then, and creates moments for exactly those. A second `build()` does
nothing. From then on it can update any of those variables and no other: a variable it was not
built on makes fit() raise `ValueError: Unknown variable` (katas 15, 16 and 22 meet that error).
So the rule is a subset rule: the built optimizer can be reused as long as every variable fit()
trains now is one of the variables it was built on (the very objects, not variables with the
same name: every Dense kernel is named "kernel"). Keras keeps that list in the private attribute
`optimizer._trainable_variables`.

A reused optimizer keeps its state: `iterations` goes on counting, and every variable keeps its
moments. A layer that was frozen in between was left alone by the optimizer, moments included, so
when it is unfrozen it gets back stale moments: those of its last step before the freeze. Adam's
bias correction for its next step uses the optimizer's step count, which went on while the layer
rested.

Either way, recompile: fit() keeps running the train step it traced before the flags changed
(kata 15), and `compile()` is what discards it.

Your task
---------
Write `resume_after_unfreeze(model, x, y, epochs=1)`. `model` arrives compiled and trained, so its
optimizer is built; since then, the caller has unfrozen some layers (and may have frozen others).

* Leave the trainable flags as they are.
* If every variable in `model.trainable_variables` is one of the variables the optimizer was built
  on (the same set counts), recompile `model` with that optimizer object (`model.optimizer`),
  keeping its iteration count and its moments, stale ones included.
* Otherwise recompile it with a fresh optimizer of the same class and settings (learning rate,
  momentum, ...): `type(optimizer).from_config(optimizer.get_config())`, which starts from 0
  steps and no moments.
* Either way keep the loss the model was compiled with: pass it to compile() again,
  `loss=model.loss` (the model was compiled without `loss_weights`). compile() without a loss
  trains with the old one but records none, and the model, saved and loaded back, has no loss.
  Then fit `model` on `x`, `y` for `epochs` epochs at fit()'s default batch size.
* Return a pair `(history, reused)`: the `History` that fit() returns, and True when the built
  optimizer was reused, False when a fresh one was needed.

Example
-------
    >>> from dojo import architectures
    >>> x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    >>> y = np.tanh(x[:, :1])
    >>> model = architectures.resumable_model()      # base (2 Dense layers) -> neck -> head
    >>> base = model.get_layer("base")
    >>> model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    >>> _ = model.fit(x, y, verbose=0)                # 2 steps; the optimizer holds every variable
    >>> optimizer = model.optimizer
    >>> base.trainable = False
    >>> model.compile(optimizer=optimizer, loss="mse")
    >>> _ = model.fit(x, y, verbose=0)                # the base rests, its moments too
    >>> base.trainable = True
    >>> history, reused = resume_after_unfreeze(model, x, y)
    >>> reused, model.optimizer is optimizer, int(optimizer.iterations)
    (True, True, 6)

An optimizer built while the base was frozen holds no moments for it:

    >>> model = architectures.resumable_model()
    >>> model.get_layer("base").trainable = False
    >>> model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss="mse")
    >>> _ = model.fit(x, y, verbose=0)
    >>> model.get_layer("base").trainable = True
    >>> history, reused = resume_after_unfreeze(model, x, y)
    >>> reused, type(model.optimizer).__name__, model.optimizer.momentum
    (False, 'SGD', 0.9)
    >>> int(model.optimizer.iterations)              # a fresh count: this fit's 2 steps
    2

Run `make kata N=30` to check your work, `make hint N=30` if you are stuck.
"""
import keras


def resume_after_unfreeze(model: keras.Model, x, y,
                          epochs: int = 1) -> tuple[keras.callbacks.History, bool]:
    raise NotImplementedError("reuse model.optimizer if it was built on every variable fit() "
                              "trains now, else a fresh one; recompile, fit, return "
                              "(history, reused)")
