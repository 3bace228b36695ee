"""Kata 4 (debugging): "the layers I unfroze never change".

The bug report
--------------
A colleague fine-tunes a pretrained model in two stages. Stage one trained the model with some of
its layers frozen. Stage two is `unfreeze_and_train` below: it unfreezes every layer and trains the
whole model a little longer, with smaller steps. It runs without an error or a warning, the loss
is a finite number, and yet the colleague reports: "the layers I unfroze never change. After stage
two their weights are exactly what they were before it. And I checked the flags: every layer is
trainable."

Your task
---------
The code below is not a stub: it runs. Find out why it does not do what it says, and fix it. After
your fix, `unfreeze_and_train(model, x, y, epochs=1, learning_rate=1e-4)` must:

* make every layer of `model` trainable, layers inside a nested model included;
* train `model` itself (not a copy) on `x`, `y` for exactly `epochs` epochs with Adam at
  `learning_rate`, so that every layer that owns weights changes, the ones frozen before included;
* keep the loss and the metrics the model was compiled with, in use and in its compile config
  (as in kata 3);
* leave the model in graph mode: `model.run_eagerly` stays False;
* return the `History` object that training returns.

The model arrives compiled (with a loss, maybe metrics) and already trained once with some layers
frozen: either frozen one by one, or a whole nested base frozen with `base.trainable = False`.

Why it matters
--------------
This bug is silent: no error, no warning, and the layers that were trainable all along keep
learning, so the loss can still go down. The model looks fine-tuned while the layers you unfroze
never moved. Only a look at the weights themselves tells the difference.

How to investigate
------------------
Check each step instead of guessing.

1. Is the unfreezing the problem? Right after it, `[v.path for v in model.trainable_weights]`
   lists the weights that training should change.
2. Does training change them? Copy `model.get_weights()` before `fit()` and compare after.
3. If the flags are right and the weights still do not move, ask what `fit()` really runs, and
   when that was decided. `make hint N=4` takes you there one step at a time.

Example
-------
Once fixed, stage two changes every weight of the base (the code below prints four Trues instead):

    >>> from dojo import zoo
    >>> base = zoo.pretrained_encoder()
    >>> model = zoo.with_head(base)
    >>> x, y = zoo.regression_data(64)
    >>> base.trainable = False
    >>> model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])
    >>> _ = model.fit(x, y, epochs=2, verbose=0)  # stage one: trains the head only
    >>> before = [w.copy() for w in base.get_weights()]
    >>> history = unfreeze_and_train(model, x, y, epochs=2, learning_rate=1e-3)
    >>> [np.array_equal(a, b) for a, b in zip(before, base.get_weights())]  # unchanged?
    [False, False, False, False]
    >>> sorted(history.history), len(history.history["loss"])
    (['loss', 'mae'], 2)

Run `make kata N=4` to check your work, `make hint N=4` if you are stuck.
"""
import keras


def unfreeze_and_train(model: keras.Model, x, y, epochs: int = 1,
                       learning_rate: float = 1e-4) -> keras.callbacks.History:
    # Unfreeze every layer, nested models included (a parent before its own layers).
    for layer in _every_layer(model):
        layer.trainable = True
    # The model is compiled already: keep its optimizer, with what it learnt in stage one, and
    # only make its steps smaller.
    model.optimizer.learning_rate = learning_rate
    return model.fit(x, y, epochs=epochs, verbose=0)


def _every_layer(model: keras.Model):
    """The layers of `model`, and the layers of every model nested in it, parents first."""
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
