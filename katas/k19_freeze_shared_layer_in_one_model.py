"""Kata 19: freeze a shared layer in one model only.

Why it matters
--------------
In transfer learning one pretrained encoder often serves several models: model A fine-tunes it,
while model B only puts a new head on top of its features and must never change it. Both models
use the SAME layer object, so they share its variables.

`trainable` cannot express that. It is a property of the layer, not of a model: set
`encoder.trainable = False` and the encoder's weights leave `trainable_weights` of EVERY model that
uses it, so model A stops fine-tuning it the next time A is compiled. (A model that was not
recompiled is no better off: it keeps training the encoder for as long as its fit() reuses the
train step it traced, and stops at the first retrace, after a change of batch size for example.)
Freezing a wrapper does not help either: `keras.Sequential([encoder]).trainable = False` sets
the encoder's own flag to False too, since the flag propagates down to every sublayer.

What freezes the encoder in B alone is B's graph: `keras.ops.stop_gradient(...)` on the encoder's
output. No gradient flows back through it, so B's training never reaches the encoder, whatever its
flag says. The encoder's variables are still listed in `B.trainable_weights`: only the weights
themselves tell you that it worked. `fit()` on B warns "Gradients do not exist for variables
[...]": for the encoder, that is exactly what you asked for. Calling the encoder with
`training=False` does not freeze it: that is inference mode (Dropout off, BatchNormalization on
its moving statistics), and B would still train its weights. Kata 18 shows the difference
between `trainable` and `training`.

Your task
---------
Write `build_model_with_frozen_encoder(encoder, input_shape, units)`:

* `encoder` is a layer (a single layer, or a small Sequential or functional model, without
  BatchNormalization) that a model A already uses and trains, perhaps with some of its layers
  frozen. Do not copy it: model B must call this very object, so that both models share its
  variables.
* Build and return model B: `keras.Input(input_shape)` -> `encoder` -> a new `Dense(units)` head
  (no activation). B's output has shape `(batch, units)`.
* Training B must never change the encoder's weights, while B's head trains normally.
* Training A (recompiled or not) must still change the encoder as before: leave every
  `trainable` flag of the encoder and of its layers as it is.
* Return B uncompiled: the caller compiles it with their own optimizer and loss.

Example
-------
    >>> from keras.layers import Dense
    >>> encoder = keras.Sequential([keras.Input((8,)), Dense(4, activation="tanh")], name="encoder")
    >>> inputs = keras.Input((8,))
    >>> model_a = keras.Model(inputs, Dense(2)(encoder(inputs)))
    >>> model_b = build_model_with_frozen_encoder(encoder, (8,), units=3)
    >>> model_b.output.shape
    (None, 3)
    >>> len(model_b.trainable_weights)   # the encoder's kernel and bias are still listed
    4
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(32, 8)).astype("float32")
    >>> before = encoder.get_weights()
    >>> model_b.compile(optimizer="adam", loss="mse")
    >>> _ = model_b.fit(x, rng.normal(size=(32, 3)).astype("float32"), verbose=0)
    >>> all(np.array_equal(old, new) for old, new in zip(before, encoder.get_weights()))
    True
    >>> model_a.compile(optimizer="adam", loss="mse")
    >>> _ = model_a.fit(x, rng.normal(size=(32, 2)).astype("float32"), verbose=0)
    >>> any(not np.array_equal(old, new) for old, new in zip(before, encoder.get_weights()))
    True

Run `make kata N=19` to check your work, `make hint N=19` if you are stuck.
"""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    raise NotImplementedError("build Input -> encoder -> Dense(units) so that B cannot train encoder")
