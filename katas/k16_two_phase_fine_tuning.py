"""Kata 16 (capstone of level 3): train a head, then fine-tune the top of the base.

Why it matters
--------------
This is the whole transfer-learning recipe in one function, built from steps you practised in
earlier katas. A new head starts from random weights: trained together with an unfrozen base, its
large, noisy first gradients would reach and damage the pretrained features. So:

1. Phase 1 (feature extraction): freeze the base, put a new head on it, train only the head.
2. Phase 2 (fine-tuning): unfreeze the top of the base, where the task-specific features live, and
   continue with much smaller steps, so those features adapt without being destroyed.

Each step has a silent failure mode, met in earlier katas: a base that is not frozen in phase 1;
top layers that do not train in phase 2 because the model was not recompiled (kata 4: `fit()`
reuses the train step it traced in phase 1, as the batches keep their shape); the phase-1
optimizer, built for the head's variables only, reused after unfreezing, which fails with
`ValueError: Unknown variable` (katas 3, 4); a BatchNormalization layer that, once unfrozen, starts
re-estimating its statistics on the new data (calling the base with `training=False` in a
functional model does NOT prevent that once the base is unfrozen; `bn.trainable = False` does); and
"the top k layers" counted over the wrong layers, or `candidates[-k:]`, which for k = 0 is the whole
list.

`trainable` (what the optimizer may change) and the `training` call argument (how layers behave)
are two different switches; kata 18 sets them apart. In a subclassed model, `self.base(x,
training=False)` inside `call()` does keep the base in inference mode, but that explicit False also
reaches every later layer of the same `call()` that is given no `training` argument: a Dropout in
the head would then never drop during `fit()`. Pass `training=training` to those layers.

Your task
---------
Write `two_phase_fine_tune(base, x, y, num_classes, top_k, head_epochs, fine_tune_epochs,
callbacks=None)`. `base` is a pretrained model whose layers all arrive trainable; `y` holds integer
class labels.

Phase 1:
* Freeze the whole base, BatchNormalization included.
* Build a new model: `keras.Input(base.input_shape[1:])` -> `base` -> a new
  `Dense(num_classes, activation="softmax")` head, the only new layer with weights. Use `base`
  itself (its layers and weights), not a copy.
* Compile with `keras.optimizers.Adam(1e-3)` and `loss="sparse_categorical_crossentropy"`, and fit on
  `x`, `y` for `head_epochs` epochs.

Phase 2:
* Unfreeze the top `top_k` layers of `base.layers` that own weights, not counting
  BatchNormalization layers: those stay frozen (weights and moving statistics), wherever they are.
  Every other layer of the base stays frozen too. `top_k` is anything from 0 (phase 2 then trains
  the head only) to the number of those layers.
* Recompile with a NEW `keras.optimizers.Adam` whose learning rate is at most a tenth of phase 1's
  (1e-4 is the usual choice), the same loss, and fit for `fine_tune_epochs` epochs.

Both fits: `fit()`'s default batch size (leave `batch_size` out), graph mode (no `run_eagerly`),
and `callbacks=callbacks` (the tests pass a callback that watches which weights move in each phase;
left at its default, None, it means no callbacks), and `verbose=0`: they print nothing.
Return `(model, head_history, fine_tune_history)`: the model and the two History objects.

Example
-------
    >>> from dojo import zoo
    >>> from keras.layers import BatchNormalization, Dense, Dropout
    >>> x, y = zoo.classification_data(128, classes=3, seed=0)     # 8 features, labels 0, 1, 2
    >>> base = keras.Sequential([keras.Input((8,)), Dense(16, name="d1"),
    ...                          BatchNormalization(name="bn1"), Dense(16, name="d2"),
    ...                          Dropout(0.2), Dense(16, name="d3"),
    ...                          BatchNormalization(name="bn2"), Dense(8, name="d4")])
    >>> model, h1, h2 = two_phase_fine_tune(base, x, y, num_classes=3, top_k=2,
    ...                                     head_epochs=5, fine_tune_epochs=3)
    >>> len(h1.history["loss"]), len(h2.history["loss"])
    (5, 3)
    >>> [layer.name for layer in base.layers if layer.weights and layer.trainable]
    ['d3', 'd4']
    >>> len(model.trainable_weights)   # kernel and bias of d3, d4 and the head
    6

Phase 1 trained only the head; phase 2 the head and the last two Dense layers: the Dropout layer
and both BatchNormalization layers do not count, and never train.

Run `make kata N=16` to check your work, `make hint N=16` if you are stuck.
"""
import keras


def two_phase_fine_tune(base: keras.Model, x, y, num_classes: int, top_k: int, head_epochs: int,
                        fine_tune_epochs: int, callbacks=None):
    raise NotImplementedError("phase 1: frozen base + new head; phase 2: unfreeze the top_k, "
                              "recompile with a tenth of the learning rate; return the model and "
                              "both histories")
