"""Kata 18: frozen is not inference. Deterministic features from a base with Dropout.

Why it matters
--------------
A frozen pretrained base is often used as a feature extractor: run the data through it once, store
the features, train a small model on them. Features must be deterministic: the same input must give
the same features every time.

`trainable` and `training` are two different switches (katas 12 to 17 rely on the difference):

* `layer.trainable = False` (freezing) decides which weights the optimizer may change.
* `training=True/False` (the call argument) decides how layers BEHAVE in the forward pass: in
  training mode Dropout zeroes a random part of its inputs and rescales the rest; in inference mode
  it passes them through unchanged.

Freezing does not switch Dropout off: a frozen base called with `training=True` still drops units
at random, so two calls on the same input give different features. BatchNormalization is the one
layer that ties the two switches together: a frozen BatchNormalization runs in inference mode even
when called with `training=True`. A base that is NOT frozen, called with `training=True`, also
updates its BatchNormalization moving statistics: extracting features would change the base.

`fit()` calls the model with `training=True`. In a functional model, a base written as
`base(inputs, training=False)` still runs its BatchNormalization in training mode during `fit()`
once the base is unfrozen (kata 16). A subclassed model's `call()` is different: there,
`self.base(x, training=False)` does keep the base in inference mode, but the explicit False also
reaches every later layer of the same `call()` that is given no `training` argument. A Dropout in
the head then never drops during `fit()`. Pass the argument on:

    def call(self, x, training=None):
        features = self.base(x, training=False)              # the base in inference mode
        features = self.dropout(features, training=training)  # NOT self.dropout(features)
        return self.classifier(features)

Your task
---------
Write `extract_features(base, x)`:

* return the outputs of `base` for `x` in inference mode, as a `np.ndarray`: two calls on the same
  input return identical arrays, equal to `base(x, training=False)`;
* work for any base model, Sequential or functional, whether `base.trainable` is True or False;
* leave `base` exactly as you found it: its weights (BatchNormalization moving statistics included)
  and its trainable flags, also when only some of its layers are frozen. So do not set a flag, not
  even for the call and back: `base.trainable = False` then `True` makes every layer of the base
  trainable, one that arrived frozen included.

Call the base with `training=False` (and convert the result to numpy), or use `base.predict(x)`,
which runs in inference mode too. A direct call `base(x)` with no `training` argument runs in
inference mode as well; passing `training=False` explicitly makes the mode part of your code
instead of a default.

Example
-------
    >>> from keras.layers import BatchNormalization, Dense, Dropout
    >>> x = np.random.default_rng(0).normal(size=(4, 8)).astype("float32")
    >>> base = keras.Sequential([keras.Input((8,)), Dense(16), BatchNormalization(),
    ...                          Dropout(0.5), Dense(8)])
    >>> base.trainable = False
    >>> a = extract_features(base, x)
    >>> b = extract_features(base, x)
    >>> type(a).__name__, a.shape, np.array_equal(a, b)
    ('ndarray', (4, 8), True)
    >>> c = keras.ops.convert_to_numpy(base(x, training=True))  # what NOT to do
    >>> np.allclose(a, c)                    # Dropout still drops in a frozen base
    False

Run `make kata N=18` to check your work, `make hint N=18` if you are stuck.
"""
import keras
import numpy as np


def extract_features(base: keras.Model, x) -> np.ndarray:
    raise NotImplementedError("run base on x in inference mode and return a numpy array")
