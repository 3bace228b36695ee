"""Kata 23: save and restore which layers are frozen.

Why it matters
--------------
A fine-tuning run has a freeze plan: which layers of the pretrained base stay frozen and which
train. Runs get interrupted, models get saved and reloaded, and code in between flips flags:
`base.trainable = False` freezes every layer of the base, and a later `base.trainable = True`
unfreezes every one of them, so the layers you had frozen one by one are unfrozen without a word.
A `.keras` file keeps the per-layer flags of the moment you saved (not the plan, if anything had
changed by then). It keeps neither a Sequential model's own flag nor the variable paths: a
reloaded model's nested variables lose their model-name prefix ("base/base_dense_1/kernel" comes
back as "base_dense_1/kernel"). And after reloading a model saved with `model.trainable = False`,
`model.trainable = True` does not unfreeze the layers of a nested Sequential base: the base's own
flag comes back True while its layers come back frozen, and on the TensorFlow backend assigning a
flag the value it already has does nothing, so the assignment stops at the base. So keep the plan
yourself, as plain data you can write next to the model.

Your task
---------
Write two functions.

`get_freeze_state(model) -> dict` returns the trainable flag of every leaf layer that owns
weights (layers inside nested models included; a nested model itself is not a leaf):

* keys: the path of layer names from `model` down to the layer, joined with "/": "head" for a
  layer of `model` itself, "base/base_dense_1" for a layer of the nested model "base",
  "base/block/base_bn" for a layer of a model "block" nested in "base". Layer names are saved in
  the `.keras` file, so these keys still match after a reload.
* values: True or False.
* the dict must survive `json.loads(json.dumps(state))` unchanged. Layers without weights may be
  left out (they have nothing to freeze) or included, as you like.

`set_freeze_state(model, state) -> None` gives every layer named in `state` its flag back, so
that `fit()` trains exactly the layers whose flag is True. `state` is what `get_freeze_state`
returned (perhaps after a JSON round trip): it names every leaf layer that owns weights.

* it works on the model the state came from, on a second build of the same architecture, and on a
  model reloaded with `keras.models.load_model`;
* it works whatever happened to the flags in between: the model or a nested base may have been
  frozen as a whole (a model with `trainable = False` reports no trainable weights, whatever its
  layers say), or unfrozen as a whole (which erased the individual freezes);
* a name in `state` that matches no layer of `model`: raise `KeyError` (a silent skip would
  restore nothing for that layer without a word), before changing any flag: the model is left as
  it was.

Example
-------
    >>> import json, pathlib, tempfile
    >>> from dojo import zoo
    >>> base = zoo.pretrained_base()
    >>> model = zoo.with_head(base)
    >>> base.get_layer("base_dense_1").trainable = False
    >>> state = get_freeze_state(model)
    >>> state
    {'base/base_dense_1': False, 'base/base_bn': True, 'base/base_dense_2': True,
     'base/base_dense_3': True, 'head': True}
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "plan.json").write_text(json.dumps(state))
    >>> model.trainable = False                  # frozen for serving, and saved that way
    >>> model.save(folder / "m.keras")
    >>> reloaded = keras.models.load_model(folder / "m.keras")
    >>> len(reloaded.trainable_weights)
    0
    >>> set_freeze_state(reloaded, json.loads((folder / "plan.json").read_text()))
    >>> get_freeze_state(reloaded) == state
    True
    >>> len(reloaded.trainable_weights)   # gamma and beta, 2 kernels and 2 biases, the head's 2
    8

Run `make kata N=23` to check your work, `make hint N=23` if you are stuck.
"""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    raise NotImplementedError("return {'base/base_dense_1': False, ...}: every weighted leaf")


def set_freeze_state(model: keras.Model, state: dict) -> None:
    raise NotImplementedError("give every layer named in state its trainable flag back")
