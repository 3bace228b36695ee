"""Kata 1: freeze the first layers that own weights.

Why it matters
--------------
In transfer learning the first layers of a pretrained network hold generic features (edges,
textures, word pieces) that are worth keeping. Freezing them means `fit()` leaves their weights
exactly as they were, while the later layers adapt to the new task. The practice challenge asks
what training does to such a model: it still trains, its loss is finite, and only the layers that
are not frozen change.

Your task
---------
Write `freeze_first_layers(model, n=2)`:

* Freeze the first `n` layers of `model.layers` that own weights. Layers without weights
  (InputLayer, Dropout, Flatten, ...) do not count: `layer.weights` is an empty list for them.
  A model nested inside (say a pretrained base) is one layer of `model.layers`: freezing it
  freezes every layer inside it.
* Make every other layer of `model.layers` trainable.
* Return the same model object, with its weights untouched (do not build a new model).
* The model may arrive fully frozen (`model.trainable = False`) or with some layers already frozen.
* `n` below 0 or above the number of weighted layers: raise `ValueError`.

Example
-------
    >>> from keras.layers import Dense, Dropout
    >>> model = keras.Sequential([keras.Input((8,)), Dense(10), Dropout(0.1), Dense(10), Dense(1)])
    >>> model = freeze_first_layers(model, n=2)
    >>> [layer.trainable for layer in model.layers]  # the Dropout layer is skipped when counting
    [False, True, False, True]
    >>> len(model.trainable_weights)  # fit() now changes only the last Dense layer (kernel, bias)
    2

Run `make kata N=1` to check your work, `make hint N=1` if you are stuck.
"""
import keras


def freeze_first_layers(model: keras.Model, n: int = 2) -> keras.Model:
    raise NotImplementedError("freeze the first n weighted layers, unfreeze the rest, return model")
