"""Kata 18: frozen is not inference. Deterministic features from a base with Dropout.

Why it matters
--------------
A frozen pretrained base is often used as a feature extractor: run the data through it once, store
the features, train a small model on them. Features must be deterministic: the same input must give
the same features every time.

`trainable` and `training` are two different switches:

* `layer.trainable = False` (freezing) decides which weights the optimizer may change.
* `training=True/False` (the call argument) decides how layers BEHAVE in the forward pass: in
  training mode Dropout zeroes a random part of its inputs and rescales the rest; in inference mode
  it passes them through unchanged.

Freezing does not switch Dropout off: a frozen base called with `training=True` still drops units
at random, so two calls on the same input give different features. BatchNormalization is the one
layer that ties the two switches together: a frozen BatchNormalization runs in inference mode even
when called with `training=True`. A base that is NOT frozen, called with `training=True`, also
updates its BatchNormalization moving statistics: extracting features would change the base.

Your task
---------
Write `extract_features(base, x)`:

* return the outputs of `base` for `x` in inference mode, as a `np.ndarray`: two calls on the same
  input return identical arrays, equal to `base(x, training=False)`;
* work whether `base.trainable` is True or False;
* leave `base` exactly as you found it: its weights (BatchNormalization moving statistics included)
  and its trainable flags.

Call the base with `training=False` (and convert the result to numpy), or use `base.predict(x)`,
which runs in inference mode too. Passing `training=False` explicitly makes the mode part of your
code instead of a default.

Example
-------
    base = keras.Sequential([keras.Input((8,)), Dense(16), BatchNormalization(), Dropout(0.5),
                             Dense(8)])
    base.trainable = False
    a = extract_features(base, x)
    b = extract_features(base, x)
    type(a), np.array_equal(a, b)           # (numpy.ndarray, True)
    c = base(x, training=True)              # what NOT to do: Dropout still drops in a frozen base
    np.array_equal(a, c)                    # False

Run `make kata N=18` to check your work, `make hint N=18` if you are stuck.
"""
import keras
import numpy as np


def extract_features(base: keras.Model, x) -> np.ndarray:
    raise NotImplementedError("run base on x in inference mode and return a numpy array")
