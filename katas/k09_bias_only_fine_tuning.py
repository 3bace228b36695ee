"""Kata 9: BitFit: fine-tune only the biases.

Why it matters
--------------
BitFit (Ben Zaken et al., 2021) fine-tunes a pretrained network by training only its bias terms and
freezing everything else: a tiny fraction of the parameters, little memory for optimizer state,
and a pretrained model that cannot drift far. Layer flags cannot express this, because a Dense
layer's kernel and bias share one `layer.trainable`: freezing the layer freezes its bias too. In
Keras 3 each variable has its own flag, and it can be assigned: `layer.kernel.trainable = False`
takes the kernel out of `model.trainable_weights` and leaves the bias in. The catch: the next
`layer.trainable = ...` that changes the layer's flag (or a parent's) overwrites the flag of every
variable of that layer, so set the variable flags last.

Your task
---------
Write `train_only_biases(model)`:

* Afterwards, exactly the variables named `bias` (`variable.name == "bias"`: Dense, Conv, ...)
  are in `model.trainable_weights`. Every other variable is frozen: kernels, embeddings, and the
  gamma and beta of BatchNormalization and LayerNormalization (beta is not called bias: it stays
  frozen too).
* Every bias trains, also in a nested model and in a model or layer that arrives frozen (after
  training a head on a frozen base, the base is typically `base.trainable = False`): make the model
  and every layer trainable (`layer.trainable = True`), then set the variable flags.
* So every layer's own flag ends up True. For BatchNormalization this means training mode: gamma
  and beta stay bit-identical, but the moving mean and variance keep following the new data in
  `fit()`, as in ordinary fine-tuning (gradients never train them: their variable flag stays False
  whatever the layer's flag). Freezing the BatchNormalization layer itself would fix them too
  (kata 13); that is not what this kata asks.
* Return the number of scalars `fit()` will now train (an int): the sum of the sizes of the
  variables in `model.trainable_weights`.

Example
-------
    inputs = keras.Input((8,))
    h = Dense(16, name="d1")(inputs)                  # kernel 8x16, bias 16
    h = BatchNormalization(name="bn")(h)              # gamma 16, beta 16, moving mean/variance
    model = keras.Model(inputs, Dense(1, name="out")(h))  # kernel 16x1, bias 1
    train_only_biases(model)                          # 17: the biases of d1 and out
    [v.path for v in model.trainable_weights]         # ['.../d1/bias', '.../out/bias']

Run `make kata N=9` to check your work, `make hint N=9` if you are stuck.
"""
import keras


def train_only_biases(model: keras.Model) -> int:
    raise NotImplementedError("train only the variables named bias; count scalars")
