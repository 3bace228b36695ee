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
the recipe: `base.trainable = True` unfreezes every layer only when the base was frozen. When its
flag is already True, the assignment does nothing at all (assigning the value the flag already has
is a no-op), so a later layer frozen by an earlier experiment stays frozen.

Your task
---------
Write `freeze_up_to(model, layer_name)`:

* Look `layer_name` up in `model.layers` only (like `model.get_layer`): the model is usually the
  pretrained base itself. A name that is not in `model.layers`, including the name of a layer
  inside a nested model: raise `ValueError`.
* Freeze every entry of `model.layers` up to and including that layer; make every later entry
  trainable, whatever its flag was before.
* The model may arrive entirely frozen (`model.trainable = False`) or with any layer frozen
  individually: `model.trainable` must end up True, or nothing in it trains.
* Return the number of frozen layers that own weights (an int). Layers without weights
  (InputLayer, Dropout, Flatten, pooling: `layer.weights` is empty) are frozen too, but do not
  count.

Example
-------
    base = keras.Sequential([keras.Input((8,)), Dense(16, name="d1"), BatchNormalization(name="bn"),
                             Dense(16, name="d2"), Dropout(0.2, name="drop"), Dense(8, name="d3")])
    base.trainable = False              # after training a head on the frozen base
    freeze_up_to(base, "bn")            # 2: d1 and bn frozen; d2, drop, d3 trainable
    freeze_up_to(base, "drop")          # 3: d1, bn, d2 (drop owns no weights)
    freeze_up_to(base, "d4")            # ValueError

Run `make kata N=8` to check your work, `make hint N=8` if you are stuck.
"""
import keras


def freeze_up_to(model: keras.Model, layer_name: str) -> int:
    raise NotImplementedError("freeze up to layer_name, unfreeze the rest, count")
