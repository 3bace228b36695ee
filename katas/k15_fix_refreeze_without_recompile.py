"""Kata 15 (debugging): "the layer I froze keeps changing".

The bug report
--------------
A colleague trains a model, then decides that one of its layers has learned enough: it should be
frozen while the rest of the model keeps training. That is `freeze_and_continue` below. It runs
without an error or a warning, `layer.trainable` reads False afterwards, `model.summary()` counts the
layer's weights as non-trainable, and yet the colleague reports: "the layer I froze keeps changing.
After the call its weights are different from what they were before it. When the layer is a whole
pretrained base, even the moving statistics of its BatchNormalization layer keep updating."

This is the mirror image of kata 4, where unfrozen layers never moved.

Your task
---------
The code below is not a stub: it runs. Find out why it does not do what it says, and fix it. After
your fix, `freeze_and_continue(model, layer_name, x, y, epochs=1)` must:

* freeze `model.get_layer(layer_name)`: a layer of `model.layers`, which may be a nested model such
  as a pretrained base (then everything inside it is frozen, BatchNormalization included);
* train `model` itself (not a copy) on `x`, `y` for exactly `epochs` epochs, with `fit()`'s default
  batch size and the loss the model was compiled with;
* so that the frozen layer's weights stay bit-identical (a frozen BatchNormalization layer's
  moving statistics too), while every other layer that owns weights keeps learning;
* keep the optimizer settings: the same optimizer class and learning rate. You may keep the
  optimizer object itself (`model.optimizer`), with its state: freezing MORE layers is the one
  direction in which a built optimizer can be reused. A new optimizer of the same class and
  learning rate is accepted too;
* leave the model in graph mode: `model.run_eagerly` stays False;
* return the `History` object that training returns.

The model arrives compiled and already trained once, with every layer trainable.

Why it matters
--------------
Freezing mid-way is common in transfer learning: a head is trained with part of the network, then
more of it is locked to protect what it learned. This bug is silent: no error, no warning, the flags
and the summary say "frozen", the loss looks normal. Only the weights themselves show that the
layer you protected is still being trained (and BatchNormalization statistics still drift towards
the new data).

Example
-------
    model = keras.Model(inputs, head(base(inputs)))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(x, y, epochs=1, verbose=0)                 # everything trains

    before = [w.copy() for w in base.get_weights()]
    freeze_and_continue(model, "base", x, y, epochs=2)
    all(np.array_equal(a, b) for a, b in zip(before, base.get_weights()))
    # False with the code below: the "frozen" base moved. True once you have fixed it.

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
