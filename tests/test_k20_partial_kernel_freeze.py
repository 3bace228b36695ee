"""Kata 20: keep the first rows of a Dense kernel bit-exact while the rest trains (keras-facts 20)."""
import keras
import numpy as np

from dojo.checks import expect, expect_moved_exactly, leaf_layers, snapshot

INPUT_DIM = 8


def data(n=64, seed=20):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, INPUT_DIM)).astype("float32")
    y = np.tanh(x @ rng.normal(size=(INPUT_DIM, 1)) / np.sqrt(INPUT_DIM)).astype("float32")
    return x, y


def small_model():
    """Input(8) -> Dense(8, tanh) 'features' -> Dense(6, tanh) 'partly_frozen' -> Dense(1) 'out'."""
    inputs = keras.Input((INPUT_DIM,))
    h = keras.layers.Dense(8, activation="tanh", name="features")(inputs)
    h = keras.layers.Dense(6, activation="tanh", name="partly_frozen")(h)
    outputs = keras.layers.Dense(1, name="out")(h)
    return keras.Model(inputs, outputs, name="model")


def forward(model, x):
    """The model's output computed by hand from its layers' current weights."""
    h = np.tanh(x @ model.get_layer("features").kernel.numpy() + model.get_layer("features").bias.numpy())
    layer = model.get_layer("partly_frozen")
    h = np.tanh(h @ layer.kernel.numpy() + layer.bias.numpy())
    return h @ model.get_layer("out").kernel.numpy() + model.get_layer("out").bias.numpy()


def watched(optimizer_class, kernel, rows, **options):
    """An optimizer of `optimizer_class` that records how far the frozen rows had moved at the
    start of each update: they must be back in place before every step, not only at the end."""
    reference = keras.ops.convert_to_tensor(np.array(kernel.numpy()[:rows], copy=True))
    drift = keras.Variable(0.0, trainable=False, name="frozen_rows_drift")

    class Watched(optimizer_class):
        def apply(self, grads, trainable_variables=None):
            gap = keras.ops.max(keras.ops.abs(kernel[:rows] - reference))
            drift.assign(keras.ops.maximum(drift, gap))
            return super().apply(grads, trainable_variables)

    Watched.__name__ = Watched.__qualname__ = optimizer_class.__name__
    return Watched(**options), drift


def check_training(kata, layer_name, rows, optimizer_class, epochs, **options):
    x, y = data()
    model = small_model()
    layer = model.get_layer(layer_name)
    optimizer, drift = watched(optimizer_class, layer.kernel, rows, **options)
    kernel_before = np.array(layer.kernel.numpy(), copy=True)
    before = snapshot(model)

    history = kata.train_with_frozen_rows(model, layer_name, rows, x, y, optimizer,
                                          epochs=epochs, batch_size=16)

    expect(isinstance(history, keras.callbacks.History),
           f"train_with_frozen_rows must return the History object that fit() returns, "
           f"got {history!r}")
    losses = history.history.get("loss", [])
    expect(len(losses) == epochs,
           f"train_with_frozen_rows(..., epochs={epochs}) should train for {epochs} epochs, but the "
           f"History it returned has {len(losses)} loss value(s)")
    steps = int(np.asarray(optimizer.iterations))
    expect(steps > 0,
           f"the {optimizer_class.__name__} optimizer passed to train_with_frozen_rows never took a "
           f"step: train with the optimizer you are given (it may be AdamW, with weight decay)")

    kernel = layer.kernel.numpy()
    frozen_change = float(np.abs(kernel[:rows] - kernel_before[:rows]).max())
    expect(frozen_change == 0.0,
           f"rows 0..{rows - 1} of the kernel of layer '{layer_name}' should stay bit-identical, "
           f"but they moved by up to {frozen_change:.1e} during training with "
           f"{optimizer_class.__name__}({', '.join(f'{k}={v}' for k, v in options.items())})")
    still = [i for i in range(rows, kernel.shape[0]) if np.array_equal(kernel[i], kernel_before[i])]
    expect(not still,
           f"rows {rows}..{kernel.shape[0] - 1} of the kernel of layer '{layer_name}' should train, "
           f"but row(s) {still} did not change at all")
    expect_moved_exactly(before, should_move=[l for l in leaf_layers(model) if l.weights],
                         during="train_with_frozen_rows()")
    bias_before = next(s.value for s in before.states if s.variable is layer.bias)
    expect(not np.array_equal(layer.bias.numpy(), bias_before),
           f"the bias of layer '{layer_name}' should train (only kernel rows 0..{rows - 1} are "
           f"frozen), but it did not change")

    moved_between_steps = float(np.asarray(drift))
    expect(moved_between_steps == 0.0,
           f"the frozen rows of layer '{layer_name}' had moved by up to {moved_between_steps:.1e} "
           f"when a training step started: they were put back only afterwards, so the rest of the "
           f"model learned against rows that kept changing. They must be unchanged at every step")

    output = np.asarray(model(x, training=False))
    gap = float(np.abs(output - forward(model, x)).max())
    # The same math two ways (see checks.ROUND_OFF): measured up to 1.8e-07 with oneDNN on and
    # off; an answer that masks the rows' effect on the output is off by 1e-2 or more.
    expect(gap < 1e-4,
           f"after train_with_frozen_rows the model no longer computes with its own weights: its "
           f"output differs by {gap:.1e} from its Dense layers applied with their current kernels. "
           f"Freeze the values of the rows, not their effect on the output")


def test_rows_stay_bit_exact_under_adam(kata):
    check_training(kata, "partly_frozen", 3, keras.optimizers.Adam, epochs=2, learning_rate=1e-2)


def test_rows_stay_bit_exact_under_adamw_weight_decay(kata):
    check_training(kata, "features", 5, keras.optimizers.AdamW, epochs=1, learning_rate=1e-2,
                   weight_decay=0.1)
