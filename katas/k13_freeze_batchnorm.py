"""Kata 13: freeze every BatchNormalization layer.

Why it matters
--------------
A BatchNormalization layer owns four weights: `gamma` and `beta`, which the optimizer trains, and
`moving_mean` and `moving_variance`, which are not trained by gradients but updated from each batch
during `fit()`. In a pretrained network those statistics describe the pretraining data. Fine-tuning
on a small new dataset would shift them, and the layers after them would see inputs scaled
differently from what they were trained on. So fine-tuning recipes freeze the BatchNormalization
layers while the other layers learn.

A frozen BatchNormalization layer (`layer.trainable = False`) runs in inference mode: it normalises
with its moving statistics, `fit()` leaves all four of its weights exactly as they were, and it
still passes gradients on to the layers below it, which keep learning.

Your task
---------
Write `freeze_batchnorm(model)`:

* Set `trainable = False` on every `keras.layers.BatchNormalization` layer of `model`, including
  the ones inside nested models (a pretrained base inside your model, at any depth, built with
  `keras.Sequential` or with the functional API: both are `keras.Model`s).
* Leave every other layer as it is: trainable convolutions and Dense layers must keep learning, and
  a layer that arrives frozen (a frozen pretrained base, say) stays frozen.
* Return the number of BatchNormalization layers in `model`, all frozen now (one that was frozen
  already counts too), as an int.

Find the layers by type (`isinstance`), not by name: pretrained models name their layers as they
like ("conv_bn", "base_bn", ...). `model.layers` lists a nested model as one layer; look inside it.

Inference mode alone is not frozen: a BatchNormalization layer called with `training=False` keeps
its moving statistics, but its `gamma` and `beta` still train. Inside a functional model `fit()`
even overrides a `training=False` written in the model's graph. `trainable` and `training` are two
different switches: kata 18 ("Frozen is not inference") is about the difference.

The flag is read when `fit()` traces its training function: call this before the first `fit()`,
or compile again afterwards. Without a recompile, the next `fit()` ignores the freeze as long as it
reuses its traced function (same batch size): the BatchNormalization layers go on learning. A
batch of a new size makes `fit()` trace again, and the freeze then takes effect; do not rely on it.

Example
-------
    >>> from dojo import zoo
    >>> base = zoo.pretrained_base()  # Dense, BatchNormalization, Dense, Dropout, Dense
    >>> inputs = keras.Input((8,))
    >>> h = keras.layers.BatchNormalization(name="top_bn")(base(inputs))
    >>> model = keras.Model(inputs, keras.layers.Dense(1, name="head")(h))
    >>> freeze_batchnorm(model)  # one in the base, one on top
    2
    >>> [layer.name for layer in base.layers if not layer.trainable]
    ['base_bn']
    >>> model.get_layer("top_bn").trainable
    False
    >>> len(model.trainable_weights)  # 4 Dense layers, kernel and bias each: fit() trains them
    8

Run `make kata N=13` to check your work, `make hint N=13` if you are stuck.
"""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    raise NotImplementedError("freeze every BatchNormalization layer, nested ones included; return how many")
