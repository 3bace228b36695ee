"""Kata 15 (debugging): "the layer I froze keeps changing".

The bug report
--------------
A colleague trains a model, then decides that one of its layers has learned enough: it should be
frozen while the rest of the model keeps training. That is `freeze_and_continue` below. It runs
without an error or a warning, `layer.trainable` reads False afterwards, `model.summary()` counts
the layer's weights as non-trainable, and yet the colleague reports: "the layer I froze keeps
changing. After the call its weights are different from what they were before it. When the layer is
a whole pretrained base, even the moving statistics of its BatchNormalization layer keep updating."

This is the mirror image of kata 4, where unfrozen layers never moved.

Your task
---------
The code below is not a stub: it runs. Find out why it does not do what it says, and fix it. After
your fix, `freeze_and_continue(model, layer_name, x, y, epochs=1)` must:

* freeze `model.get_layer(layer_name)`: a layer of `model.layers`, which may be a nested model such
  as a pretrained base (then everything inside it is frozen, BatchNormalization included);
* train `model` itself (not a copy) on `x`, `y` for exactly `epochs` epochs, with `fit()`'s default
  batch size and the loss the model was compiled with (in use, and in its compile config, which
  `model.save()` stores);
* so that the frozen layer's weights stay bit-identical (a frozen BatchNormalization layer's
  moving statistics too), while every other layer that owns weights keeps learning;
* keep the optimizer settings: the same optimizer class and learning rate. You may keep the
  optimizer object itself (`model.optimizer`), with its state: an optimizer can be reused as long
  as the variables it is asked to train are among those it was built on, and this one was built
  while every layer was trainable. A new optimizer of the same class and learning rate is accepted
  too;
* leave the model in graph mode: `model.run_eagerly` stays False;
* return the `History` object that training returns.

The model arrives compiled and already trained once, at `fit()`'s default batch size, with every
layer trainable.

Why it matters
--------------
Freezing mid-way is common in transfer learning: a head is trained with part of the network, then
more of it is locked to protect what it learned. This bug is silent: no error, no warning, the flags
and the summary say "frozen", the loss looks normal. Only the weights themselves show that the
layer you protected is still being trained (and BatchNormalization statistics still drift towards
the new data: a frozen BatchNormalization layer runs in inference mode, one of the places where
`trainable` and the `training` call argument meet; kata 18 sets the two apart).

The bug can also seem to come and go: `fit()` reuses the train step it traced as long as the
batches keep their shape, and a new batch size makes it trace a new one, which does see the new
flags. That is luck, not a fix. (The same retrace after a late UNfreeze raises
`ValueError: Unknown variable` when the optimizer was built without the unfrozen variables.)

An optimizer you keep carries its state over. It even stays reusable if the layer is unfrozen
again later, since the variables it trains are still among those it was built on; its moments for
that layer are then stale ones, from before the freeze.

Example
-------
    >>> from dojo import zoo
    >>> x, y = zoo.regression_data(128, seed=0)
    >>> base = zoo.pretrained_encoder()                  # a pretrained base named "base"
    >>> model = zoo.with_head(base)                      # Input -> base -> Dense(1) "head"
    >>> model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    >>> _ = model.fit(x, y, epochs=1, verbose=0)         # everything trains
    >>> before = [w.copy() for w in base.get_weights()]
    >>> history = freeze_and_continue(model, "base", x, y, epochs=2)
    >>> [v.path for v in model.trainable_weights]        # the freeze itself works, even unfixed
    ['head/kernel', 'head/bias']
    >>> all(np.array_equal(a, b) for a, b in zip(before, base.get_weights()))
    True
    >>> len(history.history["loss"])
    2

With the code below the base moves anyway: that `all(...)` line prints False until you fix it.

How to investigate
------------------
Check each step instead of guessing. Is the freezing itself the problem? Look at
`[v.path for v in model.trainable_weights]` right after it. Then ask what `fit()` actually runs to
train, and when that was decided: kata 4 met the same question from the other side.

Run `make kata N=15` to check your work, `make hint N=15` if you are stuck.
"""
import keras


def freeze_and_continue(model: keras.Model, layer_name: str, x, y,
                        epochs: int = 1) -> keras.callbacks.History:
    # Freeze the layer: from now on the optimizer must leave its weights alone.
    model.get_layer(layer_name).trainable = False
    # Keep training the rest of the model with the optimizer it already has.
    return model.fit(x, y, epochs=epochs, verbose=0)
