"""Kata 22: gradual unfreezing, one more base layer per stage (ULMFiT).

Why it matters
--------------
Unfreezing a whole pretrained base at once exposes every pretrained layer at the same time to the
large, noisy updates of a head that has barely started learning. ULMFiT (Howard and Ruder, 2018)
unfreezes gradually: first the top layer of the base, whose features are the most task-specific,
then the next one down, and so on, training a little after each step. The lowest, most generic
layers are unfrozen last and train least.

Your task
---------
Write `gradual_unfreeze(model, base, x, y, epochs_per_stage=1, learning_rate=1e-4,
callbacks=None)`. `model` is compiled and contains `base` (a nested model, frozen when it arrives)
and a head (every layer of `model` outside `base`).

* The stages: the layers of `base` that own weights (nested models inside `base` searched),
  except BatchNormalization layers. With n such layers there are n stages, numbered 1..n.
* Stage i trains exactly the top i of those layers plus the head: stage 1 the top base layer and
  the head, stage n every stage layer and the head. There is no head-only stage 0 (warm the head
  up before calling this if you want one). The head trains in every stage, even when it arrived
  frozen, as a whole or one layer of it. The model itself may arrive frozen too
  (`model.trainable = False`).
* BatchNormalization layers stay frozen in every stage: a frozen BatchNormalization layer runs in
  inference mode, so its moving statistics and gamma/beta stay exactly as they were.
  (BatchNormalization is special there: its `trainable` flag also switches its mode. Elsewhere
  `trainable` and `training` are two different things: see kata 18.)
* Each stage compiles `model` with a new `keras.optimizers.Adam(learning_rate)` and the loss the
  model was compiled with (`model.loss`: left out, it would still be used in `fit()`, but the
  compile config that `model.save()` stores would say `loss=None`), then fits `model` on `x`,
  `y` for `epochs_per_stage` epochs, passing `callbacks` to that fit() (`callbacks=None` means
  none).
* Return a list with one `History` per stage, in stage order: what each stage's fit() returned.

Why a compile per stage: fit() traces its train step with the trainable weights of that moment,
and reuses it for as long as the batches keep their shape. Unfreezing a layer afterwards, or from
a callback in the middle of a fit(), then changes nothing in that step (no error, no warning); and
when a batch of another size does make fit() retrace it, the newly trainable layer meets an
optimizer that was built without it: `ValueError: Unknown variable`. compile() throws the traced
step away, and the new optimizer is needed because the old one was built for fewer variables
(the same "Unknown variable").

Example
-------
    >>> from dojo import zoo
    >>> base = zoo.pretrained_base()   # base_dense_1, base_bn, base_dense_2, dropout, base_dense_3
    >>> model = zoo.with_head(base)
    >>> base.trainable = False
    >>> model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    >>> x, y = zoo.regression_data(64)
    >>> bn = base.get_layer("base_bn")
    >>> bn_before = [w.numpy().copy() for w in bn.weights]   # gamma, beta, moving mean and variance
    >>> histories = gradual_unfreeze(model, base, x, y, epochs_per_stage=2, learning_rate=1e-4)
    >>> len(histories), len(histories[0].history["loss"])   # 3 stages of 2 epochs each
    (3, 2)
    >>> [layer.name for layer in base.layers if layer.trainable]   # after the last stage
    ['base_dense_1', 'base_dense_2', 'base_dense_3']
    >>> all(np.array_equal(old, w.numpy()) for old, w in zip(bn_before, bn.weights))
    True

Run `make kata N=22` to check your work, `make hint N=22` if you are stuck.
"""
import keras


def gradual_unfreeze(model: keras.Model, base: keras.Model, x, y, epochs_per_stage: int = 1,
                     learning_rate: float = 1e-4, callbacks=None) -> list:
    raise NotImplementedError("per stage: unfreeze one more base layer from the top, recompile, "
                              "fit; return one History per stage")
