"""Kata 14: unfreeze a base for fine-tuning while BatchNormalization stays frozen.

Why it matters
--------------
Fine-tuning is the second stage of transfer learning. Once a new head has been trained on a frozen
base, you unfreeze the base and train the whole model a little longer with a very small learning
rate, so that the pretrained features adapt to the new task without being wrecked. The base's
BatchNormalization layers stay frozen all the while: their moving statistics describe the
pretraining data, and a small fine-tuning set would shift them (see kata 13).

The keras.io guide says that calling the base as `base(inputs, training=False)` keeps its
BatchNormalization layers in inference mode even after the base is unfrozen. On this Keras that is
false inside a functional model: `fit()` overrides the `training=False`, the moving statistics are
updated, and `gamma` and `beta` train. What does work is to set `trainable = False` on each
BatchNormalization layer after unfreezing the base. Order matters: when the base is frozen,
`base.trainable = True` sets every layer inside it, BatchNormalization included, back to trainable,
so freeze the BatchNormalization layers after that, not before.

Your task
---------
Write `unfreeze_for_fine_tuning(model, base, learning_rate=1e-5)`. `base` is a model nested inside
`model`; `model` arrives compiled and already trained with the base frozen.

* Make every layer of `base` trainable except its BatchNormalization layers, which must end up
  frozen (look inside models nested in the base too). Leave the layers outside the base as they are.
* The base may arrive frozen as a whole (`base.trainable = False`), or with its own flag True and
  each of its layers frozen one by one. In the second case `base.trainable = True` does nothing at
  all: assigning the value the flag already has is a no-op, so it unfreezes no layer. Set each
  layer's flag yourself.
* Compile `model` again, with a new `keras.optimizers.Adam(learning_rate=learning_rate)` and the
  loss it was compiled with (`model.loss`). The model was trained before, so `fit()` has already
  built its training function for the old set of trainable weights: without a new `compile()` the
  layers you unfreeze are not trained. And the old optimizer was built for that old set: compiling
  with it again makes the next `fit()` fail with "Unknown variable".
* Return the same `model` object, with its weights untouched.

After your function and a `fit()`, every Dense and convolution layer of the base has moved, and
every BatchNormalization layer of the base (`gamma`, `beta`, `moving_mean`, `moving_variance`) is
exactly what it was.

Example
-------
    inputs = keras.Input((8,))
    model = keras.Model(inputs, keras.layers.Dense(1)(base(inputs, training=False)))
    base.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    model.fit(x, y, epochs=5, verbose=0)                 # stage one: the head only

    unfreeze_for_fine_tuning(model, base, learning_rate=1e-5)
    model.fit(x, y, epochs=5, verbose=0)                 # stage two: base and head, BN frozen

Run `make kata N=14` to check your work, `make hint N=14` if you are stuck.
"""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    raise NotImplementedError("unfreeze base except its BatchNormalization layers, recompile, return model")
