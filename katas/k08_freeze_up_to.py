"""Kata 8: the fine_tune_at recipe: freeze everything up to a named layer.

Why it matters
--------------
The classic fine-tuning recipe (TensorFlow's transfer-learning tutorial) unfreezes a pretrained
base from some layer on:

    base.trainable = True
    fine_tune_at = 100
    for layer in base.layers[:fine_tune_at]:
        layer.trainable = False

A layer index is fragile (count one Dropout wrong and the cut moves), so here the cut is given by
name: "freeze everything up to and including `block4_pool`" (a layer of VGG16). One trap hides in
the recipe: `base.trainable = True` unfreezes every layer only when the base was frozen. On the
TensorFlow backend, assigning a flag the value it already has does nothing at all, so when
`base.trainable` is already True, a later layer frozen by an earlier experiment stays frozen. The
same trap waits one level down, in any entry of `model.layers` that is itself a model.

Your task
---------
Write `freeze_up_to(model, layer_name)`:

* Look `layer_name` up in `model.layers` only (like `model.get_layer`): the model is usually the
  pretrained base itself. A name that is not in `model.layers`, including the name of a layer
  inside a nested model: raise `ValueError`, and change no flag.
* Freeze every entry of `model.layers` up to and including that layer; make every later entry
  trainable, whatever its flag was before.
* An entry that is itself a model (a nested base) is frozen, or made trainable, throughout: every
  layer inside it, at any depth, ends up with that flag too. Its own flag alone is not enough on
  the TensorFlow backend: a nested model whose flag is already True while its layers were frozen
  one by one keeps them frozen after `nested.trainable = True`, and one whose flag is already
  False keeps a layer unfrozen by hand trainable after `nested.trainable = False` (and `fit()`
  trains that layer).
* The model may arrive entirely frozen (`model.trainable = False`) or with any layer frozen
  individually: `model.trainable` must end up True, or nothing in it trains.
* Return the number of frozen entries of `model.layers` that own weights (an int); a nested model
  is one entry. Layers without weights (InputLayer, Dropout, Flatten, pooling: `layer.weights` is
  empty) are frozen too, but do not count.

Example
-------
    >>> from keras.layers import BatchNormalization, Dense, Dropout
    >>> base = keras.Sequential([keras.Input((8,)), Dense(16, name="d1"),
    ...                          BatchNormalization(name="bn"), Dense(16, name="d2"),
    ...                          Dropout(0.2, name="drop"), Dense(8, name="d3")], name="base")
    >>> base.trainable = False  # as after training a head on the frozen base
    >>> freeze_up_to(base, "bn")  # d1 and bn
    2
    >>> [(layer.name, layer.trainable) for layer in base.layers]
    [('d1', False), ('bn', False), ('d2', True), ('drop', True), ('d3', True)]
    >>> freeze_up_to(base, "drop")  # d1, bn and d2: drop owns no weights
    3
    >>> base.layers[-1].trainable = False  # an earlier experiment froze d3
    >>> base.trainable = True  # already True: does nothing on the TensorFlow backend
    >>> base.layers[-1].trainable
    False
    >>> freeze_up_to(base, "d1")
    1
    >>> [layer.name for layer in base.layers if layer.trainable]
    ['bn', 'd2', 'drop', 'd3']
    >>> freeze_up_to(base, "d4")
    Traceback (most recent call last):
    ValueError: ...'d4'...

Run `make kata N=8` to check your work, `make hint N=8` if you are stuck.
"""
import keras


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    raise NotImplementedError("freeze up to layer_name, unfreeze the rest, count")
