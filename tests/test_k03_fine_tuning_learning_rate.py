"""Kata 3: fine-tune with a learning rate ten times smaller, keeping the loss and the metrics
(practice challenge 3)."""
import keras
import numpy as np
import pytest

from dojo import zoo
from dojo.checks import KataFailure, agree, expect, same_float32, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k03_fine_tuning_learning_rate/ that break only it.
REQUIREMENTS = {
    "return the same model, weights untouched": (
        "test_returns_the_same_model_with_its_weights", ["forgets_to_return"]),
    "compile with a new keras.optimizers.Adam, not model.optimizer": (
        "test_compiles_with_a_new_adam",
        ["reuses_the_optimizer", "sets_the_rate_without_compiling", "uses_sgd"]),
    "the learning rate is base_learning_rate / 10": (
        "test_learning_rate_is_a_tenth_of_the_base_rate",
        ["ignores_base_learning_rate", "multiplies_by_ten"]),
    "base_learning_rate defaults to 1e-3": (
        "test_the_default_base_learning_rate_is_1e_3", ["changes_the_default_rate"]),
    "keep the loss, in use and in the compile config": (
        "test_the_loss_the_model_was_compiled_with_is_kept",
        ["hard_codes_mse", "leaves_out_the_loss", "rebuilds_the_loss_from_the_config"]),
    "keep the metrics, in use and in the compile config": (
        "test_the_metrics_the_model_was_compiled_with_are_kept",
        ["keeps_only_the_loss", "passes_the_serialized_metrics"]),
    "the model is compiled with the new Adam: the next fit() trains the base at the new rate": (
        "test_fine_tuning_moves_the_pretrained_weights_a_tenth_as_far", ["assigns_the_optimizer"]),
}


def feature_extraction_stage(loss="mse", metrics=None, train=True):
    """Stage 1 of transfer learning, then the unfreeze that starts stage 2.

    The base is frozen and the model compiled with its first optimizer (and `metrics`); with
    train=True it is also fit once, so a train function is traced and the optimizer has taken a
    step, as in real fine-tuning. Then the base is unfrozen. Returns (model, base).
    """
    base = zoo.pretrained_encoder()
    model = zoo.with_head(base)
    base.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=loss, metrics=metrics)
    model.optimizer.build(model.trainable_variables)  # as zoo.compile_ready_to_fit: one trace
    if train:
        x, y = zoo.regression_data(32, seed=5)
        model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    base.trainable = True
    return model, base


def learning_rate_of(optimizer) -> float:
    return float(np.asarray(keras.ops.convert_to_numpy(optimizer.learning_rate)))


def compile_config(model) -> dict:
    return model.get_compile_config() or {}


def base_kernels(base):
    """The Dense kernels of the pretrained base, found by layer object."""
    return [layer.kernel for layer in base.layers if isinstance(layer, keras.layers.Dense)]


def test_returns_the_same_model_with_its_weights(kata):
    model, _ = feature_extraction_stage(train=False)
    before = snapshot(model)
    result = kata.compile_for_fine_tuning(model, 1e-3)
    expect(result is model,
           f"compile_for_fine_tuning must return the model it was given, got {result!r}")
    expect(before.unchanged(), "compile_for_fine_tuning must not change any weight values")


def test_compiles_with_a_new_adam(kata):
    model, _ = feature_extraction_stage(train=False)
    old = model.optimizer
    kata.compile_for_fine_tuning(model, 1e-3)
    expect(model.optimizer is not old,
           "model.optimizer is still the optimizer of the first stage: compile the model with a "
           "new keras.optimizers.Adam(...), as the statement asks")
    expect(isinstance(model.optimizer, keras.optimizers.Adam),
           f"the model should be compiled with keras.optimizers.Adam, got "
           f"{type(model.optimizer).__name__}")


def test_learning_rate_is_a_tenth_of_the_base_rate(kata):
    model, _ = feature_extraction_stage(train=False)
    for base_rate in (1e-2, 3e-5, 1e-3):
        kata.compile_for_fine_tuning(model, base_rate)
        rate = learning_rate_of(model.optimizer)
        expect(same_float32(rate, base_rate / 10),
               f"compile_for_fine_tuning(model, base_learning_rate={base_rate:g}) should compile "
               f"with a learning rate of {base_rate / 10:g} (a tenth of the base rate), but "
               f"model.optimizer.learning_rate is {rate:g}")


def test_the_default_base_learning_rate_is_1e_3(kata):
    model, _ = feature_extraction_stage(train=False)
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
    recorded = compile_config(model)["loss"]
    kata.compile_for_fine_tuning(model, 1e-3)
    x, y = zoo.regression_data(16, seed=6)
    y_pred = model(x)
    got = float(keras.ops.convert_to_numpy(model.compute_loss(x=x, y=y, y_pred=y_pred)))
    want = float(keras.ops.convert_to_numpy(reference(y, y_pred)))
    expect(agree(got, want),
           f"the model was compiled with loss={shown} and should keep it (model.loss), but after "
           f"compile_for_fine_tuning its loss on a batch is {got:.4f} where {shown} gives "
           f"{want:.4f}")
    now = compile_config(model).get("loss")
    expect(now == recorded,
           f"fit() still computes loss={shown}, but model.get_compile_config()['loss'] is now "
           f"{now!r}: compile() was called without loss=, so the config (what model.save() writes) "
           f"forgot it, and the model saved now could not even evaluate() after loading. Pass "
           f"loss=model.loss")


def metric_values(model, x, y):
    """The values of the model's compiled metrics on one batch (what fit() and evaluate() report,
    computed here without tracing a function), explained when compile() was given something that
    is no metric."""
    try:
        results = model.compute_metrics(x, y, model(x), sample_weight=None)
    except ValueError as error:
        if "metric identifier" not in str(error):
            raise
        raise KataFailure(
            f"the model's metrics fail after compile_for_fine_tuning: {error}. The compile config "
            f"holds metric objects serialized, as dicts, which compile() does not read as metrics: "
            f"turn them back into metrics with keras.saving.deserialize_keras_object(...)") from None
    return {name: float(keras.ops.convert_to_numpy(value)) for name, value in results.items()
            if name != "loss"}


def shown(metrics_config) -> str:
    """A compile config's metrics in a few words: names as they are, objects by class name."""
    if not isinstance(metrics_config, list):
        return repr(metrics_config)
    return "[" + ", ".join(repr(m) if isinstance(m, str) else
                           f"{m.get('class_name', '?')}(name={m.get('config', {}).get('name')!r})"
                           if isinstance(m, dict) else repr(m) for m in metrics_config) + "]"


def test_the_metrics_the_model_was_compiled_with_are_kept(kata):
    # One metric by name, one as an object: the config serializes the object into a dict.
    model, _ = feature_extraction_stage(
        metrics=["mae", keras.metrics.RootMeanSquaredError(name="rmse")], train=False)
    recorded = compile_config(model)["metrics"]
    kata.compile_for_fine_tuning(model, 1e-3)
    x, y = zoo.regression_data(32, seed=8)
    reported = metric_values(model, x, y)
    expect(set(reported) == {"mae", "rmse"},
           f"the model was compiled with metrics ['mae', RootMeanSquaredError(name='rmse')] and "
           f"should still report them, but its metrics are now {sorted(reported)}")
    error = np.asarray(y) - keras.ops.convert_to_numpy(model(x))
    for name, want in (("mae", np.mean(np.abs(error))), ("rmse", np.sqrt(np.mean(error ** 2)))):
        expect(agree(reported[name], want),
               f"the model reports {name} = {reported[name]:.4f}, but the {name} of its "
               f"predictions is {want:.4f}: keep the metrics the model was compiled with")
    now = compile_config(model).get("metrics")
    expect(now == recorded,
           f"the model still reports mae and rmse, but model.get_compile_config()['metrics'] is "
           f"now {shown(now)} instead of {shown(recorded)}: the last compile() was not given "
           f"these metrics, so the config (what model.save() writes) does not list them and the "
           f"model saved now would load without them. Pass them to compile() again")


def test_fine_tuning_moves_the_pretrained_weights_a_tenth_as_far(kata):
    # One epoch of one batch after the recompile: a single Adam step. Adam's first step moves each
    # weight by lr * g / (|g| + epsilon): just under the learning rate for every weight whose
    # gradient is not tiny, so the largest change of a base kernel shows the rate fit() really
    # used (1e-3 here, where a step at the base rate 1e-2 itself would move it by about 1e-2).
    # Portable: the bound is Adam's arithmetic, not a number measured on one CPU; measured with
    # oneDNN on and off, the largest change was 1.000e-03 both times.
    model, base = feature_extraction_stage()
    kata.compile_for_fine_tuning(model, 1e-2)
    x, y = zoo.regression_data(32, seed=7)
    before = snapshot(model)
    try:
        model.fit(x, y, epochs=1, batch_size=32, shuffle=False, verbose=0)
    except ValueError as error:
        if "Unknown variable" not in str(error):
            raise
        raise KataFailure(
            "fit() after compile_for_fine_tuning raised 'ValueError: Unknown variable': the model "
            "is still compiled with the optimizer of the first stage. Compile it with a new "
            "keras.optimizers.Adam(...), as the statement asks (kata 4 shows why it fails)") from None
    changes = before.changes()
    largest = max(changes[id(kernel)] for kernel in base_kernels(base))
    expect(largest > 0.0,
           "the base was unfrozen, but none of its kernels moved during the fit() after "
           "compile_for_fine_tuning: that fit() did not train with the new Adam. Give the model "
           "its new optimizer with model.compile(optimizer=...): assigning model.optimizer is "
           "not enough")
    expect(0.5e-3 <= largest <= 1.05e-3,
           f"with base_learning_rate=1e-2 the fine-tuning rate is 1e-3, and one Adam step moves "
           f"each weight by at most about the learning rate (about 1e-2 at the base rate itself); "
           f"but after one fit() step the largest change of a base kernel was {largest:.2e} "
           f"(expected between 5.0e-04 and 1.05e-03)")
