"""Kata 3: recompile for fine-tuning with a learning rate ten times smaller.

Why it matters
--------------
Fine-tuning is the second stage of transfer learning: a new head was trained on a frozen
pretrained base, then some layers of the base are unfrozen so they can adapt to the new task.
Those layers already hold useful features, and large steps would wreck them: fine-tuning takes
small steps. The rule of thumb of the practice challenge is a learning rate ten times smaller than
the one used before.

The change needs a `compile()`. After a `fit()`, changing which layers are trainable does nothing
until the model is compiled again. And compiling with the optimizer the model already has fails
once more layers are trainable: that optimizer was built for fewer variables, so the next `fit()`
raises `ValueError: Unknown variable`. A new optimizer starts from scratch (its `iterations` is 0).

Your task
---------
Write `compile_for_fine_tuning(model, base_learning_rate=1e-3)`:

* Compile `model` again with a NEW `keras.optimizers.Adam` whose learning rate is
  `base_learning_rate / 10`. Do not reuse `model.optimizer`.
* Keep the loss the model was compiled with: Keras 3 keeps it as `model.loss`.
* Return the same model object, with its weights untouched.

Example
-------
    base.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mae")
    model.fit(x, y)                        # stage 1: train the new head
    base.trainable = True                  # stage 2: unfreeze the base...
    compile_for_fine_tuning(model, 1e-3)   # ...and take steps ten times smaller
    model.optimizer.learning_rate          # 1e-4, in a new Adam; the loss is still "mae"
    model.fit(x, y)

Run `make kata N=3` to check your work, `make hint N=3` if you are stuck.
"""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    raise NotImplementedError("compile model with a new Adam at base_learning_rate / 10, same loss")
