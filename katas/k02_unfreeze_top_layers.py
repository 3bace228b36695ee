"""Kata 2: unfreeze only the top k layers of a pretrained base.

Why it matters
--------------
A pretrained base learns generic features in its bottom layers (edges, textures, word pieces) and
more task-specific, high-level features in its top layers. After training a new head on a frozen
base, the usual next step is to unfreeze only the last few layers of the base, so that `fit()` can
adapt the high-level features to the new task while the generic ones stay exactly as they were.
The practice challenge asks for this: "only the last few layers, to adapt high-level features".

Your task
---------
Write `unfreeze_top_layers(base, k)`:

* Make the last `k` layers of `base.layers` that own weights trainable, and freeze every other
  layer. Layers without weights (Dropout, ReLU, pooling, ...) do not count: `layer.weights` is an
  empty list for them.
* `base` may arrive entirely frozen (`base.trainable = False`): `base.trainable` itself must end up
  True. While it is False, `base.trainable_weights` is empty whatever its layers say.
* `base` may also arrive with its own flag True and some layer frozen individually. Then
  `base.trainable = True` does nothing at all on the TensorFlow backend (there, assigning the value
  the flag already has is skipped), so it does not unfreeze that layer: set each weighted layer's
  flag yourself.
* Return the same `base` object, with its weights untouched.
* `k` below 0 or above the number of weighted layers: raise `ValueError`.

A BatchNormalization layer among the top k trains: gamma and beta follow the gradient and its
moving statistics follow the data. A frozen one keeps all four of its weights exactly as they were.

Example
-------
    >>> from keras.layers import BatchNormalization, Dense, Dropout
    >>> base = keras.Sequential([keras.Input((8,)), Dense(16), BatchNormalization(),
    ...                          Dense(16), Dropout(0.2), Dense(8)])
    >>> base.trainable = False  # the feature-extraction stage
    >>> base = unfreeze_top_layers(base, k=2)
    >>> base.trainable
    True
    >>> [layer.trainable for layer in base.layers if layer.weights]  # Dropout does not count
    [False, False, True, True]
    >>> len(base.trainable_weights)  # the kernels and biases of the last two Dense layers
    4

Run `make kata N=2` to check your work, `make hint N=2` if you are stuck.
"""
import keras


def unfreeze_top_layers(base: keras.Model, k: int) -> keras.Model:
    raise NotImplementedError("make the last k weighted layers trainable, freeze the rest, return base")
