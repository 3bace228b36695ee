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
  the ones inside nested models (a pretrained base inside your model, at any depth).
* Leave every other layer as it is: convolutions and Dense layers must keep learning.
* Return how many BatchNormalization layers you froze, as an int.

Find the layers by type (`isinstance`), not by name: pretrained models name their layers as they
like ("conv_bn", "base_bn", ...). `model.layers` lists a nested model as one layer; look inside it.

Inference mode alone is not frozen: a BatchNormalization layer called with `training=False` keeps
its moving statistics, but its `gamma` and `beta` still train. Inside a functional model `fit()`
even overrides a `training=False` written in the model's graph.

The flag is read when `fit()` builds its training function: call this before the first `fit()`, or
compile again afterwards.

Example
-------
    inputs = keras.Input((8,))
    x = pretrained_base(inputs)                      # Dense, BatchNormalization, Dense, ...
    x = keras.layers.BatchNormalization()(x)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
    freeze_batchnorm(model)                          # 2: one in the base, one on top
    # after model.fit(...): both BatchNormalization layers are bit-identical, the Dense layers moved

Run `make kata N=13` to check your work, `make hint N=13` if you are stuck.
"""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    raise NotImplementedError("freeze every BatchNormalization layer, nested ones included; return how many")
