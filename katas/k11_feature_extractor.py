"""Kata 11: a frozen feature extractor that shares the pretrained weights.

Why it matters
--------------
The simplest way to reuse a pretrained network is to cut it at an intermediate layer and use that
layer's activations as features for a new task. In a functional model every layer's output is a
symbolic tensor, so the cut is one line: a new `keras.Model` from the pretrained inputs to that
output. The new model reuses the very same layer objects, so it shares the pretrained weights: no
copy, and whatever the pretrained weights are, the extractor computes with them. Freeze it, and a
head trained on top of it leaves every pretrained weight exactly as it was.

Your task
---------
Write `feature_extractor(pretrained, layer_name)`:

* Return a `keras.Model` from `pretrained`'s inputs to the output of the layer named `layer_name`
  (one output tensor, not a list holding it). Any layer may be named, one without weights too. Its
  output equals that layer's activation inside `pretrained` (Dropout is inactive outside
  training: it passes its input through unchanged).
* `pretrained` is a functional model: a graph of layers, which may branch and join again (a skip
  connection's `Add` layer takes two inputs). Cut it with its own tensors; calling its layers
  again one after the other works only on a plain chain.
* Share, do not copy: the extractor's variables are the same variable objects as the pretrained
  model's. Assigning a new value to a pretrained weight changes the extractor's output.
* Freeze it: `extractor.trainable = False`, so `extractor.trainable_weights` is empty and a head
  trained on top of it with `fit()` leaves every pretrained weight bit-identical,
  BatchNormalization's moving statistics included. Freeze the layers, not their variables one by
  one: a BatchNormalization layer whose variables are frozen is still a trainable layer, in
  training mode, and `fit()` updates its moving statistics.
* Freeze nothing else: the layers of `pretrained` after the cut keep their flags (those that
  trained still train, those frozen stay frozen).
* An unknown `layer_name` raises `ValueError` (`pretrained.get_layer(name)` already does).

Because the layers are shared, freezing the extractor freezes those layers in `pretrained` too: a
layer's `trainable` flag belongs to the layer, not to one model that uses it.

Example
-------
    >>> from dojo import zoo
    >>> pretrained = zoo.pretrained_mlp()
    >>> [layer.name for layer in pretrained.layers]
    ['input', 'dense_a', 'dropout', 'dense_b', 'flatten', 'dense_c', 'out']
    >>> features = feature_extractor(pretrained, "dense_b")
    >>> features.output.shape
    (None, 16)
    >>> features.get_layer("dense_a").kernel is pretrained.get_layer("dense_a").kernel
    True
    >>> features.trainable_weights
    []
    >>> [layer.name for layer in pretrained.layers if layer.trainable]  # shared flags
    ['flatten', 'dense_c', 'out']
    >>> inputs = keras.Input((8,))
    >>> model = keras.Model(inputs, keras.layers.Dense(1)(features(inputs)))
    >>> len(model.trainable_weights)  # fit() trains only the new Dense layer: kernel and bias
    2

Run `make kata N=11` to check your work, `make hint N=11` if you are stuck.
"""
import keras


def feature_extractor(pretrained: keras.Model, layer_name: str) -> keras.Model:
    raise NotImplementedError("cut pretrained at layer_name (sharing its layers), freeze it, return it")
