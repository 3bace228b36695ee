"""Kata 20: keep the first rows of a Dense kernel bit-exact while the rest trains (a
gradient mask is exact only without weight decay, which every optimizer accepts)."""
import math

import keras
import numpy as np

from dojo.checks import agree, expect, expect_moved_exactly, leaf_layers, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k20_partial_kernel_freeze/ that break only it.
REQUIREMENTS = {
    "kernel rows 0..rows-1 stay bit-identical; its other rows, bias and other layers train": (
        "test_rows_stay_bit_exact_under_adam",
        ["freezes_the_last_rows", "freezes_the_whole_layer"]),
    "the frozen rows are in place at every training step, not only at the end": (
        "test_rows_stay_bit_exact_under_adam", ["restores_the_rows_after_fit"]),
    "a layer frozen before the call stays frozen": (
        "test_rows_stay_bit_exact_under_adam", ["unfreezes_every_other_layer"]),
    "the model still computes with all of its weights, the frozen rows included": (
        "test_rows_stay_bit_exact_under_adam", ["masks_the_rows_in_call"]),
    "the rows stay put under weight decay, which any optimizer may have (not only AdamW)": (
        "test_rows_stay_bit_exact_under_weight_decay_of_any_optimizer",
        ["masks_only_the_gradient", "masks_the_gradient_unless_adamw"]),
    "train with the optimizer given": (
        "test_rows_stay_bit_exact_under_adamw_and_the_default_arguments",
        ["ignores_the_optimizer"]),
    "compile with the loss mse": (
        "test_rows_stay_bit_exact_under_weight_decay_of_any_optimizer",
        ["compiles_with_another_loss"]),
    "fit for epochs epochs with batch_size (defaults 1 and 16) and return its History": (
        "test_rows_stay_bit_exact_under_adamw_and_the_default_arguments",
        ["ignores_the_batch_size", "defaults_to_fits_batch_size"]),
}

INPUT_DIM = 8
N = 64  # training samples


def data(n=N, seed=20):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, INPUT_DIM)).astype("float32")
    y = np.tanh(x @ rng.normal(size=(INPUT_DIM, 1)) / np.sqrt(INPUT_DIM)).astype("float32")
    return x, y


def small_model(kind="functional"):
    """Input(8) -> Dense(8, tanh) 'features' -> Dense(6, tanh) 'partly_frozen' -> Dense(1) 'out',
    as a functional or a Sequential model."""
    layers = [keras.layers.Dense(8, activation="tanh", name="features"),
              keras.layers.Dense(6, activation="tanh", name="partly_frozen"),
              keras.layers.Dense(1, name="out")]
    if kind == "sequential":
        return keras.Sequential([keras.Input((INPUT_DIM,)), *layers], name="model")
    inputs = keras.Input((INPUT_DIM,))
    h = inputs
    for layer in layers:
        h = layer(h)
    return keras.Model(inputs, h, name="model")


def forward(model, x):
    """The model's output computed by hand from its layers' current weights."""
    h = np.tanh(x @ model.get_layer("features").kernel.numpy() + model.get_layer("features").bias.numpy())
    layer = model.get_layer("partly_frozen")
    h = np.tanh(h @ layer.kernel.numpy() + layer.bias.numpy())
    return h @ model.get_layer("out").kernel.numpy() + model.get_layer("out").bias.numpy()


def watched(optimizer_class, kernel, rows, probe, **options):
    """An optimizer of `optimizer_class` that records how far the frozen rows had moved at the
    start of each update (they must be back in place before every step, not only at the end), and
    the gradient it was given for the variable `probe` at its first step."""
    reference = keras.ops.convert_to_tensor(np.array(kernel.numpy()[:rows], copy=True))
    drift = keras.Variable(0.0, trainable=False, name="frozen_rows_drift")
    first_gradient = keras.Variable(np.full(probe.shape, np.nan, "float32"), trainable=False,
                                    name="first_gradient")

    class Watched(optimizer_class):
        def apply(self, grads, trainable_variables=None):
            gap = keras.ops.max(keras.ops.abs(kernel[:rows] - reference))
            drift.assign(keras.ops.maximum(drift, gap))
            for grad, variable in zip(grads, trainable_variables or []):
                if variable is probe and grad is not None:
                    first = keras.ops.where(self.iterations == 0, grad, first_gradient)
                    first_gradient.assign(first)
            return super().apply(grads, trainable_variables)

    Watched.__name__ = Watched.__qualname__ = optimizer_class.__name__
    return Watched(**options), drift, first_gradient


def described(optimizer_class, options):
    return f"{optimizer_class.__name__}({', '.join(f'{k}={v}' for k, v in options.items())})"


def check_training(kata, layer_name, rows, optimizer_class, options, *, model=None, frozen=(),
                   n=N, **fit_args):
    """Call the kata on a fresh model and check everything that one fit() can show.

    `frozen` names layers the caller freezes before the call; `fit_args` holds the epochs and
    batch_size passed to the kata (left out: the kata's defaults, 1 and 16, are expected); `n` is
    the number of training samples."""
    epochs, batch_size = fit_args.get("epochs", 1), fit_args.get("batch_size", 16)
    x, y = data(n)
    model = model or small_model()
    for name in frozen:
        model.get_layer(name).trainable = False
    layer = model.get_layer(layer_name)
    out_bias = model.get_layer("out").bias
    optimizer, drift, first_gradient = watched(optimizer_class, layer.kernel, rows, out_bias,
                                               **options)
    kernel_before = np.array(layer.kernel.numpy(), copy=True)
    before = snapshot(model)
    # The gradient of the mean squared error for the output layer's bias, on all of x at once.
    mse_gradient = float(np.mean(2.0 * (forward(model, x) - y)))
    name = described(optimizer_class, options)

    history = kata.train_with_frozen_rows(model, layer_name, rows, x, y, optimizer, **fit_args)

    expect(isinstance(history, keras.callbacks.History),
           f"train_with_frozen_rows must return the History object that fit() returns, "
           f"got {history!r}")
    losses = history.history.get("loss", [])
    expect(len(losses) == epochs,
           f"train_with_frozen_rows(..., epochs={epochs}) should train for {epochs} epochs, but the "
           f"History it returned has {len(losses)} loss value(s)")
    steps = int(np.asarray(optimizer.iterations))
    expect(steps > 0,
           f"the {name} optimizer passed to train_with_frozen_rows never took a step: train with "
           f"the optimizer you are given (it may have weight decay)")
    per_epoch = math.ceil(n / batch_size)
    called = ", ".join(f"{k}={v}" for k, v in fit_args.items()) or "no epochs or batch_size"
    expect(steps == epochs * per_epoch,
           f"train_with_frozen_rows called with {called} should fit {n} samples for {epochs} "
           f"epoch(s) of {per_epoch} steps (batch_size={batch_size}), {epochs * per_epoch} steps "
           f"in all, but the optimizer took {steps}: pass epochs and batch_size on to fit() (their "
           f"defaults are 1 and 16)")
    if per_epoch == 1:
        # One step per epoch, on all of x: the first step's gradient for the output layer's bias is
        # 2 x mean(prediction - y) for the mean squared error, computed here from the weights
        # before training (the same math two ways, see checks.agree).
        got = float(np.asarray(first_gradient)[0])
        expect(np.isfinite(got) and agree(got, mse_gradient),
               f"the first training step's gradient for the bias of layer 'out' is {got:.6g}, but "
               f"the mean squared error gives {mse_gradient:.6g} on these weights and data: compile "
               f"with loss=\"mse\"")

    kernel = layer.kernel.numpy()
    frozen_change = float(np.abs(kernel[:rows] - kernel_before[:rows]).max())
    decay = ("; weight decay shrinks every weight it is given, even one whose gradient is 0, and "
             "any Keras optimizer may have it (weight_decay=...), not only AdamW"
             if options.get("weight_decay") else "")
    expect(frozen_change == 0.0,
           f"rows 0..{rows - 1} of the kernel of layer '{layer_name}' should stay bit-identical, "
           f"but they moved by up to {frozen_change:.1e} during training with {name}{decay}")
    still = [i for i in range(rows, kernel.shape[0]) if np.array_equal(kernel[i], kernel_before[i])]
    expect(not still,
           f"rows {rows}..{kernel.shape[0] - 1} of the kernel of layer '{layer_name}' should train, "
           f"but row(s) {still} did not change at all")
    trainable = [l for l in leaf_layers(model) if l.weights and l.name not in frozen]
    expect_moved_exactly(before, should_move=trainable, during="train_with_frozen_rows()")
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
    # The caller froze 'features' (a partly frozen model): it must stay as it is.
    check_training(kata, "partly_frozen", 3, keras.optimizers.Adam, {"learning_rate": 1e-2},
                   frozen=["features"], epochs=2, batch_size=16)


def test_rows_stay_bit_exact_under_adamw_and_the_default_arguments(kata):
    # A Sequential model, and neither epochs nor batch_size given: 1 epoch of 272 / 16 = 17 full
    # batches. 272 = 16 * 17 samples tell the default apart from any other batch size, and no
    # batch is partial (a partial one would make fit() trace a second train step).
    check_training(kata, "features", 5, keras.optimizers.AdamW,
                   {"learning_rate": 1e-2, "weight_decay": 0.1}, model=small_model("sequential"),
                   n=16 * 17)


def test_rows_stay_bit_exact_under_weight_decay_of_any_optimizer(kata):
    # Not only AdamW decays weights: SGD, Adam, RMSprop, ... all accept weight_decay. One full
    # batch per epoch, so the first epoch's loss is the loss before training.
    check_training(kata, "partly_frozen", 2, keras.optimizers.SGD,
                   {"learning_rate": 0.1, "weight_decay": 0.1}, epochs=2, batch_size=N)
