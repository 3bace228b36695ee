"""Kata 3: fine-tune with a learning rate ten times smaller, keeping the loss and the metrics.

Why it matters
--------------
Fine-tuning is the second stage of transfer learning: a new head was trained on a frozen
pretrained base, then some layers of the base are unfrozen so they can adapt to the new task.
Those layers already hold useful features, and large steps would wreck them: fine-tuning takes
small steps. The rule of thumb of the practice challenge is a learning rate ten times smaller than
the one used before.

The learning rate belongs to the optimizer, and a Keras model gets its optimizer from `compile()`.
Stage two gets a new Adam: the one of stage one has counted its steps and kept running averages
of the head's gradients, while a new one starts from nothing (`optimizer.iterations` is 0). There
is one more reason, which kata 4 lets you find.

`compile()` records only what it is given. Call it without `loss` or `metrics` and Keras goes on
using the old ones in `fit()` and `evaluate()`, but the model's compile config, which
`model.get_compile_config()` returns and `model.save()` writes, now says None: saved and loaded
again, the fine-tuned model has lost its metrics (and, without a loss, cannot even `evaluate()`).
So pass them again. The loss is `model.loss`, the very object `compile()` was given (rebuilt from
the config, a loss can come back changed: `keras.losses.Huber(delta=0.5)` comes back with
`delta=1.0` on Keras 3.15). `model.get_compile_config()["metrics"]` is what `compile()` was given
as metrics, serialized (a name stays a name, a metric object becomes a dict), and
`keras.saving.deserialize_keras_object` turns it back into metrics.

Your task
---------
Write `compile_for_fine_tuning(model, base_learning_rate=1e-3)`. The model arrives compiled with a
loss and maybe metrics, given by name or as objects, and usually trained once already.

* Compile `model` again with a NEW `keras.optimizers.Adam` whose learning rate is
  `base_learning_rate / 10`. Do not reuse `model.optimizer`.
* Keep the loss and the metrics the model was compiled with: `fit()` and `evaluate()` go on
  reporting them, and the compile config still lists them.
* Return the same model object, with its weights untouched.

Example
-------
    >>> from dojo import zoo
    >>> base = zoo.pretrained_encoder()
    >>> model = zoo.with_head(base)
    >>> x, y = zoo.regression_data(64)
    >>> base.trainable = False  # stage one: train the new head
    >>> model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mae", metrics=["mse"])
    >>> _ = model.fit(x, y, epochs=2, verbose=0)
    >>> base.trainable = True  # stage two: unfreeze the base...
    >>> model = compile_for_fine_tuning(model, 1e-3)  # ...and take steps ten times smaller
    >>> f"{float(model.optimizer.learning_rate):.0e}", int(model.optimizer.iterations)
    ('1e-04', 0)
    >>> model.get_compile_config()["loss"], model.get_compile_config()["metrics"]
    ('mae', ['mse'])
    >>> sorted(model.fit(x, y, epochs=2, verbose=0).history)
    ['loss', 'mse']

Run `make kata N=3` to check your work, `make hint N=3` if you are stuck.
"""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    raise NotImplementedError("compile model with a new Adam at base_learning_rate / 10, "
                              "keeping its loss and metrics")
