"""Kata 3: recompile for fine-tuning with a learning rate ten times smaller (practice challenge 3)."""
import keras
import numpy as np
import pytest

from dojo import zoo
from dojo.checks import KataFailure, agree, expect, same_float32, snapshot


def feature_extraction_stage(loss="mse", train=True):
    """Stage 1 of transfer learning, then the unfreeze that starts stage 2.

    The base is frozen, the model compiled with its first optimizer and fit once (so a train
    function is traced and the optimizer has taken a step, as in real fine-tuning); then the base
    is unfrozen. Tests that only read what compile_for_fine_tuning set pass train=False and skip
    the fit. Returns (model, base).
    """
    base = zoo.pretrained_encoder()
    model = zoo.with_head(base)
    base.trainable = False
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), loss)
    if train:
        x, y = zoo.regression_data(32, seed=5)
        model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    base.trainable = True
    return model, base


def fine_tune(model, x, y, batch_size):
    """One epoch of fit() after compile_for_fine_tuning, with the likely failure explained."""
    try:
        model.fit(x, y, epochs=1, batch_size=batch_size, shuffle=False, verbose=0)
    except ValueError as error:
        if "Unknown variable" not in str(error):
            raise
        raise KataFailure(
            "fit() after compile_for_fine_tuning raised 'ValueError: Unknown variable': the model "
            "still uses the optimizer of the first stage, which was built for the variables that "
            "were trainable then. Compile with a new keras.optimizers.Adam(...)") from None


def learning_rate_of(optimizer) -> float:
    return float(np.asarray(keras.ops.convert_to_numpy(optimizer.learning_rate)))


def base_kernels(base):
    """The Dense kernels of the pretrained base, found by layer object."""
    return [layer.kernel for layer in base.layers if isinstance(layer, keras.layers.Dense)]


def largest_change(before, variables) -> float:
    changes = before.changes()
    return max(changes[id(v)] for v in variables)


def test_returns_the_same_model_with_a_new_adam(kata):
    model, _ = feature_extraction_stage()
    old = model.optimizer
    before = snapshot(model)
    result = kata.compile_for_fine_tuning(model, 1e-3)
    expect(result is model,
           f"compile_for_fine_tuning must return the model it was given, got {result!r}")
    expect(before.unchanged(), "compile_for_fine_tuning must not change any weight values")
    expect(model.optimizer is not old,
           "model.optimizer is still the optimizer of the first stage: compile with a new "
           "keras.optimizers.Adam(...). The old one was built for the variables that were "
           "trainable in the first stage, not for the layers unfrozen since")
    expect(isinstance(model.optimizer, keras.optimizers.Adam),
           f"the model should be compiled with keras.optimizers.Adam, got "
           f"{type(model.optimizer).__name__}")
    iterations = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
    expect(iterations == 0,
           f"a new optimizer starts at iterations == 0, but model.optimizer.iterations is "
           f"{iterations}: it has already taken steps, so it is not a new optimizer")


def test_learning_rate_is_a_tenth_of_the_base_rate(kata):
    model, _ = feature_extraction_stage(train=False)
    for base_rate in (1e-3, 1e-2, 3e-5):
        kata.compile_for_fine_tuning(model, base_rate)
        rate = learning_rate_of(model.optimizer)
        expect(same_float32(rate, base_rate / 10),
               f"compile_for_fine_tuning(model, base_learning_rate={base_rate:g}) should compile "
               f"with a learning rate of {base_rate / 10:g} (a tenth of the base rate), but "
               f"model.optimizer.learning_rate is {rate:g}")
    kata.compile_for_fine_tuning(model)
    rate = learning_rate_of(model.optimizer)
    expect(same_float32(rate, 1e-4),
           f"with the default base_learning_rate=1e-3 the learning rate should be 0.0001, but "
           f"model.optimizer.learning_rate is {rate:g}")


LOSSES = {  # name: (what the model is compiled with, the same loss built here, how to show it)
    "mae": (lambda: "mae", keras.losses.MeanAbsoluteError, "'mae'"),
    "huber": (lambda: keras.losses.Huber(delta=0.5), lambda: keras.losses.Huber(delta=0.5),
              "keras.losses.Huber(delta=0.5)"),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_the_loss_the_model_was_compiled_with_is_kept(kata, name):
    make_loss, make_reference, shown = LOSSES[name]
    loss, reference = make_loss(), make_reference()
    model, _ = feature_extraction_stage(loss=loss, train=False)
    kata.compile_for_fine_tuning(model, 1e-3)
    x, y = zoo.regression_data(16, seed=6)
    y_pred = model(x)
    got = float(keras.ops.convert_to_numpy(model.compute_loss(x=x, y=y, y_pred=y_pred)))
    want = float(keras.ops.convert_to_numpy(reference(y, y_pred)))
    expect(agree(got, want),
           f"the model was compiled with loss={shown} and should keep it (model.loss), but after "
           f"compile_for_fine_tuning its loss on a batch is {got:.4f} where {shown} gives "
           f"{want:.4f}")


def test_fine_tuning_moves_the_pretrained_weights_a_tenth_as_far(kata):
    # One epoch of one batch after the recompile: a single Adam step. Adam's first step moves each
    # weight by lr * g / (|g| + epsilon): just under the learning rate for every weight whose
    # gradient is not tiny, so the largest change of a base kernel shows the rate fit() really
    # used (1e-3 here, where a step at the base rate 1e-2 itself would move it by about 1e-2).
    # Portable: the bound is Adam's arithmetic, not a number measured on one CPU; measured with
    # oneDNN on and off, the largest change was 1.000e-03 both times.
    tuned, tuned_base = feature_extraction_stage()
    kata.compile_for_fine_tuning(tuned, 1e-2)
    x, y = zoo.regression_data(32, seed=7)
    before = snapshot(tuned)
    fine_tune(tuned, x, y, batch_size=32)
    largest = largest_change(before, base_kernels(tuned_base))
    expect(largest > 0.0,
           "the base was unfrozen, but none of its kernels moved during fit(): after changing "
           "which layers are trainable, the model must be compiled again")
    expect(0.5e-3 <= largest <= 1.05e-3,
           f"with base_learning_rate=1e-2 the fine-tuning rate is 1e-3, and one Adam step moves "
           f"each weight by at most about the learning rate (about 1e-2 at the base rate itself); "
           f"but after one fit() step the largest change of a base kernel was {largest:.2e} "
           f"(expected between 5.0e-04 and 1.05e-03)")
