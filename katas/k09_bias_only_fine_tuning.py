"""Kata 9: bias-only fine-tuning: train only the variables named `bias`.

Why it matters
--------------
Training only the bias terms of a pretrained network is a cheap way to fine-tune it: a tiny fraction
of the parameters, little memory for optimizer state, and a pretrained model that cannot drift far.
Layer flags cannot express it, because a Dense layer's kernel and bias share one
`layer.trainable`: freezing the layer freezes its bias too. In Keras 3 each variable has its own
flag, and it can be assigned: `layer.kernel.trainable = False` takes the kernel out of
`model.trainable_weights` and leaves the bias in. The catch: assigning a new value to a layer's
flag sets the flag of each of its variables (moving statistics excepted) to that value, and
assigns the value to each layer inside it, whose variables follow in turn. So set the variable
flags last. (On the TensorFlow backend an assignment of the value a flag already has does nothing
and reaches no variable; do not build on that either way.)

This kata asks for strict bias-only fine-tuning, which is not quite BitFit (Ben Zaken et al., 2021),
the method that made the idea known. BitFit's code trains every parameter whose name contains
"bias", which in BERT includes the additive term of each LayerNorm (Keras calls it `beta`), and it
trains the whole new classification head, kernel included. Here only the variables named `bias`
train: `beta` and the head's kernel stay frozen. (To get BitFit from your answer, you would also
leave LayerNormalization's `beta` and every variable of the new head trainable.)

Your task
---------
Write `train_only_biases(model)`:

* Afterwards, exactly the variables named `bias` (`variable.name == "bias"`: Dense, Conv, ...)
  are in `model.trainable_weights`. Every other variable is frozen: kernels (the last layer's
  too), embeddings, and the gamma and beta of BatchNormalization and LayerNormalization (beta is
  not called bias: it stays frozen too).
* Every bias trains, also in a nested model and in a model or layer that arrives frozen (after
  training a head on a frozen base, the base is typically `base.trainable = False`): make the model
  and every layer at every depth trainable, nested models included (`layer.trainable = True`), then
  set the variable flags.
* So every layer's own flag ends up True, a nested model's too (a nested model left frozen lists
  none of its biases in its own `trainable_weights`, although `fit()` trains them). For
  BatchNormalization this means training mode, also for one frozen on its own before the call
  (as kata 13 does): gamma and beta stay bit-identical, but the moving mean and variance keep
  following the new data in `fit()`, as in ordinary fine-tuning (gradients never train them: their
  variable flag stays False whatever the layer's flag).
* Return the number of scalars `fit()` will now train (an int): the sum of the sizes of the
  variables in `model.trainable_weights`.

Example
-------
    >>> from keras.layers import BatchNormalization, Dense
    >>> inputs = keras.Input((8,))
    >>> h = Dense(16, name="d1")(inputs)  # kernel 8x16, bias 16
    >>> h = BatchNormalization(name="bn")(h)  # gamma 16, beta 16, moving mean and variance 16
    >>> model = keras.Model(inputs, Dense(1, name="out")(h))  # kernel 16x1, bias 1
    >>> model.trainable = False
    >>> train_only_biases(model)  # the biases of d1 and out
    17
    >>> [v.path for v in model.trainable_weights]
    ['d1/bias', 'out/bias']
    >>> model.get_layer("bn").trainable  # training mode: its moving statistics follow the data
    True

Run `make kata N=9` to check your work, `make hint N=9` if you are stuck.
"""
import keras


def train_only_biases(model: keras.Model) -> int:
    raise NotImplementedError("train only the variables named bias; count scalars")
