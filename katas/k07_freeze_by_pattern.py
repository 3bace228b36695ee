"""Kata 7: freeze or unfreeze the layers whose names match a pattern.

Why it matters
--------------
Pretrained bases name their layers by block: `keras.applications.VGG16` has `block1_conv1`,
`block1_conv2`, `block1_pool`, `block2_conv1`, ... "Freeze blocks 1 and 2, fine-tune the rest" is
easiest to say with shell-style patterns such as `"block1_*"` and `"block2_*"`. Two things go wrong
in practice: the layers live inside a nested base, where `model.layers` does not show them, and a
typo in the pattern silently matches nothing, so training goes on with nothing frozen and nobody
notices.

Your task
---------
Write `set_trainable_by_pattern(model, pattern, trainable)`:

* Match `pattern` against the name (`layer.name`) of every leaf layer of `model`: every layer that
  is not itself a model, searching nested models at any depth (a model inside a model inside
  `model` too). A nested model is not a leaf layer: its own name is never matched. Layers without
  weights (Dropout, InputLayer, ...) are leaf layers too: their flag is harmless.
* The pattern is a shell-style glob with the semantics of `fnmatch.fnmatchcase`: `*` matches
  anything, `?` one character, `[ab]` one of the listed characters, and the whole name must match
  (`"dense*"` does not match `"block1_dense"`). It is not a regular expression and not a substring.
* Matching is case-sensitive, like Keras layer names themselves (`model.get_layer("Head")` does not
  find a layer named `"head"`): `"Block1_*"` does not match `"block1_dense"`.
* Set `layer.trainable = trainable` on every matching layer and leave every other layer, and the
  nested models' own flags, as they are. Unfreezing a block inside a frozen base needs nothing
  more: `fit()` trains the variables whose own flag is True in every layer of the model, whatever
  the flags of the nested models around them (the base's own `trainable_weights` is then empty,
  but the outer model's is not). Setting the frozen base's flag to True instead would unfreeze
  every layer in it.
* Return the names of the matching layers in model order (the order of `model.layers`, with a
  nested model's layers in its place), including layers whose flag already had that value.
* Nothing matches: raise `ValueError` whose message names the pattern, and change no flag.

Example
-------
    >>> from keras.layers import BatchNormalization, Dense
    >>> encoder = keras.Sequential([
    ...     keras.Input((8,)),
    ...     Dense(16, name="block1_dense"), BatchNormalization(name="block1_norm"),
    ...     Dense(16, name="block2_dense"), BatchNormalization(name="block2_norm"),
    ... ], name="encoder")
    >>> inputs = keras.Input((8,))
    >>> model = keras.Model(inputs, Dense(1, name="head")(encoder(inputs)))
    >>> set_trainable_by_pattern(model, "block1_*", False)
    ['block1_dense', 'block1_norm']
    >>> set_trainable_by_pattern(model, "*_norm", True)
    ['block1_norm', 'block2_norm']
    >>> encoder.trainable = False  # as after training the head on a frozen encoder
    >>> set_trainable_by_pattern(model, "block2_*", True)
    ['block2_dense', 'block2_norm']
    >>> encoder.trainable, encoder.trainable_weights
    (False, [])
    >>> [v.path for v in model.trainable_weights]  # yet fit() trains block 2 and the head
    ['encoder/block2_dense/kernel', 'encoder/block2_dense/bias', 'encoder/block2_norm/gamma',
     'encoder/block2_norm/beta', 'head/kernel', 'head/bias']
    >>> set_trainable_by_pattern(model, "blok1_*", False)
    Traceback (most recent call last):
    ValueError: ...'blok1_*'...

Run `make kata N=7` to check your work, `make hint N=7` if you are stuck.
"""
import keras


def set_trainable_by_pattern(model: keras.Model, pattern: str, trainable: bool) -> list[str]:
    raise NotImplementedError("set trainable on the layers matching pattern")
