"""Kata 19: freeze a shared layer in one model only.

Why it matters
--------------
In transfer learning one pretrained encoder often serves several models: model A fine-tunes it,
while model B only puts a new head on top of its features and must never change it. Both models
use the SAME layer object, so they share its variables.

`trainable` cannot express that. It is a property of the layer, not of a model: set
`encoder.trainable = False` and the encoder's weights leave `trainable_weights` of EVERY model that
uses it, so model A stops fine-tuning it the next time A is compiled. (A model that was not
recompiled keeps training it with its old train function, which is no better.) Freezing a wrapper
does not help either: `keras.Sequential([encoder]).trainable = False` sets the encoder's own flag
to False too, since the flag propagates down to every sublayer.

What freezes the encoder in B alone is B's graph: `keras.ops.stop_gradient(...)` on the encoder's
output. No gradient flows back through it, so B's training never reaches the encoder, whatever its
flag says. The encoder's variables are still listed in `B.trainable_weights`: only the weights
themselves tell you that it worked. `fit()` on B warns "Gradients do not exist for variables
[...]": for the encoder, that is exactly what you asked for.

Your task
---------
Write `build_model_with_frozen_encoder(encoder, input_shape, units)`:

* `encoder` is a layer (a single layer or a small model, without BatchNormalization) that a model
  A already uses and trains. Do not copy it: model B must use this very object, so that both
  models share its variables.
* Build and return model B: `keras.Input(input_shape)` -> `encoder` -> a new `Dense(units)` head
  (no activation). B's output has shape `(batch, units)`.
* Training B must never change the encoder's weights, while B's head trains normally.
* Training A (recompiled or not) must still change the encoder: leave its `trainable` flag alone.
* Return B uncompiled: the caller compiles it with their own optimizer and loss.

Example
-------
    inputs = keras.Input((8,))
    model_a = keras.Model(inputs, keras.layers.Dense(2)(encoder(inputs)))
    model_b = build_model_with_frozen_encoder(encoder, (8,), units=3)
    model_b.compile(optimizer="adam", loss="mse")
    model_b.fit(x, y_b)    # B's head learns; the encoder's weights stay bit-identical
    model_a.compile(optimizer="adam", loss="mse")
    model_a.fit(x, y_a)    # A still fine-tunes the encoder that B uses

Run `make kata N=19` to check your work, `make hint N=19` if you are stuck.
"""
import keras


def build_model_with_frozen_encoder(encoder, input_shape, units: int) -> keras.Model:
    raise NotImplementedError("build Input -> encoder -> Dense(units) so that B cannot train encoder")
