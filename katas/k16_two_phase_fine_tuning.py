"""Kata 16 (capstone of level 3): train a head, then fine-tune the top of the base.

Why it matters
--------------
This is the whole transfer-learning recipe in one function, built from steps you practised in
earlier katas. A new head starts from random weights: trained together with an unfrozen base, its
large, noisy first gradients would reach and damage the pretrained features. So:

1. Phase 1 (feature extraction): freeze the base, put a new head on it, train only the head.
2. Phase 2 (fine-tuning): unfreeze the top of the base, where the task-specific features live, and
   continue with much smaller steps, so those features adapt without being destroyed.

Each step has a silent failure mode, met in earlier katas: a base that is not frozen in
phase 1; top layers that do not train in phase 2 because the model was not recompiled (kata 4); an
optimizer that is reused after unfreezing and fails with "Unknown variable" (katas 3, 4); a
BatchNormalization layer that, once unfrozen, starts re-estimating its statistics on the new data
(calling the base with `training=False` in a functional model does NOT prevent that once the base
is unfrozen; `bn.trainable = False` does); and "the top k layers" counted over the wrong layers.

Your task
---------
Write `two_phase_fine_tune(base, x, y, num_classes, top_k, head_epochs, fine_tune_epochs,
callbacks=None)`. `base` is a pretrained model whose layers all arrive trainable; `y` holds integer
class labels.

Phase 1:
* Freeze the whole base, BatchNormalization included.
* Build a new model: `keras.Input(base.input_shape[1:])` -> `base` -> a new
  `Dense(num_classes, activation="softmax")` head. Use `base` itself (its layers and weights), not a
  copy.
* Compile with `keras.optimizers.Adam(1e-3)` and `loss="sparse_categorical_crossentropy"`, and fit on
  `x`, `y` for `head_epochs` epochs.

Phase 2:
* Unfreeze the top `top_k` layers of `base.layers` that own weights, not counting
  BatchNormalization layers: those stay frozen (weights and moving statistics), wherever they are.
  Every other layer of the base stays frozen too.
* Recompile with a NEW `keras.optimizers.Adam` whose learning rate is at most a tenth of phase 1's
  (1e-4 is the usual choice), the same loss, and fit for `fine_tune_epochs` epochs.

Both fits: `fit()`'s default batch size, `verbose=0`, graph mode (no `run_eagerly`), and
`callbacks=callbacks` (the tests pass a callback that watches which weights move in each phase).
Return `(model, head_history, fine_tune_history)`: the model and the two History objects.

Example
-------
    base = keras.Sequential([keras.Input((8,)), Dense(16), BatchNormalization(), Dense(16),
                             Dropout(0.2), Dense(16), BatchNormalization(), Dense(8)])
    model, h1, h2 = two_phase_fine_tune(base, x, y, num_classes=3, top_k=2,
                                        head_epochs=5, fine_tune_epochs=3)
    # phase 1 trained only the head; phase 2 trained the head and the last two Dense layers
    # (the Dropout layer and both BatchNormalization layers do not count and never train)
    len(h1.history["loss"]), len(h2.history["loss"])   # (5, 3)

Run `make kata N=16` to check your work, `make hint N=16` if you are stuck.
"""
import keras


def two_phase_fine_tune(base: keras.Model, x, y, num_classes: int, top_k: int, head_epochs: int,
                        fine_tune_epochs: int, callbacks=None):
    raise NotImplementedError("phase 1: frozen base + new head; phase 2: unfreeze the top_k, "
                              "recompile with a tenth of the learning rate; return the model and "
                              "both histories")
