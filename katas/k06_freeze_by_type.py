"""Kata 6: freeze every layer of a given type, nested models included.

Why it matters
--------------
Transfer-learning recipes often target layers by kind rather than by position: "freeze every
BatchNormalization layer", "freeze all the convolutions, train the dense layers". In a transfer
model the pretrained base is usually a whole model used as one layer, so `model.layers` lists it as
a single entry and never shows the layers inside it: a loop over `model.layers` alone misses them.
And libraries define their own layer classes as subclasses of the Keras ones, so "a Dense layer"
means `isinstance(layer, keras.layers.Dense)`, not a class whose name is "Dense".

Your task
---------
Write `freeze_by_type(model, layer_types)`:

* `layer_types` is a layer class or a tuple of classes, as `isinstance` accepts them.
* Freeze (`trainable = False`) every layer of `model` that is an instance of `layer_types`,
  subclasses included, searching nested models (a Sequential or functional model used as a layer)
  at any depth: a model inside a model inside `model` too.
* A nested model is searched, never frozen as a whole: freezing it would freeze every layer in it,
  whatever its type. Every other layer keeps the flag it had (frozen stays frozen, trainable stays
  trainable), and so does every nested model: a base that arrives frozen stays frozen.
* Return the names (`layer.name`, strings) of the matching layers, in model order: the order of
  `model.layers`, with a nested model's layers listed in its place. A matching layer that was
  already frozen is listed too. No match: return an empty list.

Example
-------
    >>> from keras.layers import BatchNormalization, Dense
    >>> base = keras.Sequential([keras.Input((8,)), Dense(16, name="d1"),
    ...                          BatchNormalization(name="bn"), Dense(8, name="d2")], name="base")
    >>> inputs = keras.Input((8,), name="features")
    >>> model = keras.Model(inputs, Dense(1, name="head")(base(inputs)))
    >>> [layer.name for layer in model.layers]  # d1, bn and d2 are found only inside base
    ['features', 'base', 'head']
    >>> freeze_by_type(model, Dense)
    ['d1', 'd2', 'head']
    >>> base.trainable  # searched, not frozen as a whole
    True
    >>> [v.path for v in model.trainable_weights]  # fit() now trains only BatchNormalization
    ['base/bn/gamma', 'base/bn/beta']
    >>> freeze_by_type(model, (BatchNormalization, keras.layers.Conv2D))
    ['bn']

Run `make kata N=6` to check your work, `make hint N=6` if you are stuck.
"""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    raise NotImplementedError("freeze every layer of layer_types, nested ones too")
