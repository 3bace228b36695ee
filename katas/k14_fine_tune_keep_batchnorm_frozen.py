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
BatchNormalization layer after unfreezing the base (`trainable` and `training` are two different
switches: kata 18, "Frozen is not inference", is about the difference). Order matters: when the
base is frozen, `base.trainable = True` sets every layer inside it, BatchNormalization included,
back to trainable, so freeze the BatchNormalization layers after that, not before.

Your task
---------
Write `unfreeze_for_fine_tuning(model, base, learning_rate=1e-5)`. `base` is a model nested inside
`model`; `model` arrives compiled, with a loss and maybe metrics, and already trained with the
base frozen.

* Make every layer of `base` trainable except its BatchNormalization layers, which must end up
  frozen. Look inside models nested in the base too (a `keras.Model` among its layers, built with
  `keras.Sequential` or with the functional API).
* Leave the layers outside the base as they are: a layer frozen on purpose stays frozen, and a
  BatchNormalization layer of the head stays trainable.
* The base may arrive frozen as a whole (`base.trainable = False`), or with its own flag True and
  each of its layers frozen one by one. In the second case `base.trainable = True` does nothing at
  all on the TensorFlow backend: there, assigning the value the flag already has is a no-op, so it
  unfreezes no layer. Set each layer's flag yourself.
* Compile `model` again, with a new `keras.optimizers.Adam(learning_rate=learning_rate)`, the loss
  it was compiled with and the metrics it was compiled with.
  Why compile: the model was trained before, so `fit()` has already traced its training function
  for the old set of trainable weights, and the next `fit()` reuses it as long as the batch size
  stays the same: without a new `compile()`, the layers you unfreeze are not trained.
  Why a new optimizer: the old one was built for that old set. Compiling with it again makes the
  next `fit()` fail with "Unknown variable", and so does a `fit()` without a compile that traces
  again because its batch size is new.
  The loss: `model.loss` is the very object `compile()` was given. Do not rebuild it from the
  compile config: a loss can lose an argument on the way (on this Keras `Huber(delta=0.5)` comes
  back with delta 1.0). Do not leave it out either: `compile()` without `loss` goes on computing the
  old one in `fit()`, but the compile config says `loss=None`, and a reloaded model has no loss.
  The metrics: read them from `model.get_compile_config()["metrics"]`, where they are serialized
  (a string stays a string, a metric object becomes a dict), and turn them back into what
  `compile()` takes with `keras.saving.deserialize_keras_object(...)`. Compiled without
  `metrics`, the model loses them from its compile config: `fit()` on this Keras still reports
  them (`compile()` keeps the previous metrics object when it is given none), but the compile
  config, which `model.save()` stores, says `metrics=None`, and a reloaded model reports none.
* Return the same `model` object, with its weights untouched.

After your function and a `fit()`, every Dense and convolution layer of the base has moved, and
every BatchNormalization layer of the base (`gamma`, `beta`, `moving_mean`, `moving_variance`) is
exactly what it was.

Example
-------
    >>> from dojo import zoo
    >>> base = zoo.pretrained_base()  # Dense, BatchNormalization, Dense, Dropout, Dense
    >>> inputs = keras.Input((8,))
    >>> model = keras.Model(inputs, keras.layers.Dense(1)(base(inputs, training=False)))
    >>> base.trainable = False
    >>> model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])
    >>> x, y = zoo.regression_data(32)
    >>> history = model.fit(x, y, epochs=2, verbose=0)  # stage one: the head only
    >>> model = unfreeze_for_fine_tuning(model, base, learning_rate=1e-5)
    >>> [layer.name for layer in base.layers if not layer.trainable]
    ['base_bn']
    >>> model.get_compile_config()["metrics"]  # kept: model.save() stores this
    ['mae']
    >>> history = model.fit(x, y, epochs=2, verbose=0)  # stage two: base and head, BN frozen
    >>> sorted(history.history)
    ['loss', 'mae']

Run `make kata N=14` to check your work, `make hint N=14` if you are stuck.
"""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    raise NotImplementedError("unfreeze base except its BatchNormalization layers, recompile, return model")
