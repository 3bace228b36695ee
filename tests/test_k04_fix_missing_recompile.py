"""Kata 4: debug "the layers I unfroze never change" (practice challenge 4)."""
import traceback

import keras
import numpy as np

from dojo import zoo
from dojo.checks import (KataFailure, expect, expect_flags, expect_moved_exactly, same_float32,
                         snapshot, weighted_leaf_layers)
from dojo.plugin import where_in_file

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k04_fix_missing_recompile/ that break only it.
REQUIREMENTS = {
    "make every layer trainable, layers inside a nested model included": (
        "test_layers_frozen_one_by_one_are_trained_after_the_call",
        ["unfreezes_top_level_layers_only", "trusts_model_trainable_true"]),
    "the layers frozen before change: fit() must not reuse the step traced in stage one": (
        "test_a_frozen_base_is_trained_after_the_call",
        ["no_recompile", "assigns_optimizer_without_compile", "sets_run_eagerly_instead"]),
    "train with an optimizer built for the unfrozen layers, not the one of stage one": (
        "test_a_frozen_base_is_trained_after_the_call",
        ["reuses_old_optimizer", "forces_new_train_function", "fits_with_another_batch_size"]),
    "train model itself, not a copy": (
        "test_a_frozen_base_is_trained_after_the_call", ["rebuilds_the_model"]),
    "train for exactly `epochs` epochs": (
        "test_a_frozen_base_is_trained_after_the_call", ["ignores_epochs"]),
    "train with Adam at `learning_rate`": (
        "test_layers_frozen_one_by_one_are_trained_after_the_call", ["ignores_learning_rate"]),
    "epochs=1 and learning_rate=1e-4 by default": (
        "test_layers_frozen_one_by_one_are_trained_after_the_call", ["changes_the_defaults"]),
    "keep the loss and the metrics, in use and in the compile config": (
        "test_a_frozen_base_is_trained_after_the_call",
        ["recompiles_without_metrics", "passes_the_config_metrics"]),
    "leave the model in graph mode": (
        "test_a_frozen_base_is_trained_after_the_call", ["recompiles_in_eager_mode"]),
    "return the History that training returns": (
        "test_a_frozen_base_is_trained_after_the_call", ["returns_the_model"]),
}


def stage_one(freeze, metrics=None):
    """What the function receives: a model frozen by `freeze`, compiled (with `metrics`) and
    trained once.

    Training once matters: a change made after compile() but before the first fit() takes effect
    even without a recompile, so only a model whose train step is already traced shows the bug.
    Stage one uses batches of 32 on 128 samples: four batches of one size.
    """
    model = zoo.with_head(zoo.pretrained_encoder())
    freeze(model)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse", metrics=metrics)
    model.optimizer.build(model.trainable_variables)  # as zoo.compile_ready_to_fit: one trace
    model.fit(*zoo.regression_data(128, seed=3), epochs=1, batch_size=32, verbose=0)
    return model


UNKNOWN_VARIABLE = (
    "unfreeze_and_train raised ValueError: Unknown variable, about a weight of a layer unfrozen "
    "after stage one. fit() was running a newly traced train step (after compile() or "
    "make_train_function(force=True), or because a new batch size needed one), and that step "
    "trains the unfrozen layers; but the model's optimizer was built in stage one, for the "
    "variables that were trainable then. Give the model a new keras.optimizers.Adam with compile()")

SERIALIZED_METRICS = (
    "unfreeze_and_train raised ValueError: Could not interpret metric identifier. The model was "
    "compiled with a metric object, and model.get_compile_config()[\"metrics\"] holds it "
    "serialized, as a dict: compile() cannot read that. Turn it back into metrics with "
    "keras.saving.deserialize_keras_object (kata 3)")

FIRST_CALL = (
    "unfreeze_and_train raised ValueError: {error}. fit() traced a new train step (a new batch "
    "size can make it) and tried to build, inside it, an optimizer that compile() never saw: one "
    "assigned to model.optimizer. Give the model its new optimizer with compile()")


def call(kata, model, x, y, **arguments):
    """unfreeze_and_train(model, x, y, **arguments), its typical errors explained."""
    try:
        return kata.unfreeze_and_train(model, x, y, **arguments)
    except ValueError as error:
        text = str(error)
        if "Unknown variable" in text:
            why = UNKNOWN_VARIABLE
        elif "Could not interpret metric identifier" in text:
            why = SERIALIZED_METRICS
        elif "first call" in text:
            why = FIRST_CALL.format(error=text.split(". ")[0])
        else:
            raise
        where = where_in_file(kata.__file__, [(f.filename, f.lineno, f.name)
                                              for f in traceback.extract_tb(error.__traceback__)])
        raise KataFailure(f"{why}\n{where}".rstrip()) from None


def check_stage_two(kata, model, epochs=None, learning_rate=None):
    """Call unfreeze_and_train (with its defaults where epochs or learning_rate is None) and check
    every sentence of the statement, in the order a learner fixes them."""
    arguments = {k: v for k, v in (("epochs", epochs), ("learning_rate", learning_rate))
                 if v is not None}
    epochs = 1 if epochs is None else epochs
    learning_rate = 1e-4 if learning_rate is None else learning_rate
    shown = ", ".join(["model, x, y", *(f"{k}={v:g}" for k, v in arguments.items())])
    x, y = zoo.regression_data(128, seed=4)
    config = model.get_compile_config()
    before = snapshot(model)
    history = call(kata, model, x, y, **arguments)
    weighted = weighted_leaf_layers(model)

    expect_flags(model, trained=weighted)
    moved = before.changes()
    if not any(moved[id(s.variable)] for s in before.states):
        raise KataFailure(
            "unfreeze_and_train did not train `model` at all: none of its weights changed. Train "
            "the model you were given, not a copy of it")
    try:
        expect_moved_exactly(before, should_move=weighted, during="unfreeze_and_train()")
    except KataFailure as failure:
        raise KataFailure(
            f"{failure}\n\nThe flags are right: these weights are in model.trainable_weights, "
            f"yet training left them bit-identical. Find out what fit() runs, and when that was "
            f"decided (make hint N=4 goes one step at a time)") from None
    expect(isinstance(history, keras.callbacks.History),
           f"unfreeze_and_train must return the History object that model.fit() returns, "
           f"got {history!r}")
    losses = history.history.get("loss", [])
    expect(len(losses) == epochs,
           f"unfreeze_and_train({shown}) should train for {epochs} epoch(s), but the History it "
           f"returned has {len(losses)} loss value(s)")
    optimizer = model.optimizer
    expect(isinstance(optimizer, keras.optimizers.Adam),
           f"the model should train with keras.optimizers.Adam, got {type(optimizer).__name__}")
    rate = float(np.asarray(optimizer.learning_rate))
    expect(same_float32(rate, learning_rate),
           f"unfreeze_and_train({shown}) should train with a learning rate of {learning_rate:g}, "
           f"but the model's optimizer has learning_rate {rate:.6g}")
    expect(int(np.asarray(optimizer.iterations)) > 0,
           "the model's optimizer never took a step: fit() trained with another one. Giving the "
           "model an optimizer is compile()'s job")
    now = model.get_compile_config()
    expect(now.get("loss") == config["loss"],
           f"the model was compiled with loss='mse', but its compile config now says "
           f"{now.get('loss')!r}: pass loss=model.loss to compile() (kata 3)")
    reported = len(history.history.get("mae", [])) == epochs or not config["metrics"]
    expect(now.get("metrics") == config["metrics"] and reported,
           f"the model was compiled with an mae metric: training should report it every epoch "
           f"and the compile config still list it, but the History has "
           f"{sorted(history.history)} and the config says metrics={now.get('metrics')!r}. "
           f"compile() records only what it is given: pass the metrics again (kata 3)")
    expect(not model.run_eagerly,
           "model.run_eagerly is True after unfreeze_and_train: leave the model in graph mode, "
           "where fit() runs by default. Eager mode reads the flags at every step, so it can hide "
           "this kind of bug instead of fixing it")


def freeze_layers_one_by_one(model):
    base = model.get_layer("base")
    base.get_layer("base_dense_1").trainable = False
    model.get_layer("head").trainable = False


def freeze_the_base(model):
    model.get_layer("base").trainable = False


def test_layers_frozen_one_by_one_are_trained_after_the_call(kata):
    # base.trainable and model.trainable stay True: only some leaf layers are frozen. The call
    # uses the defaults: one epoch at 1e-4.
    model = stage_one(freeze_layers_one_by_one)
    check_stage_two(kata, model)


def test_a_frozen_base_is_trained_after_the_call(kata):
    # Compiled with metrics in this test only: metrics make each traced step slower. A metric
    # object, not a name: the compile config holds it serialized, as a dict.
    model = stage_one(freeze_the_base, metrics=[keras.metrics.MeanAbsoluteError(name="mae")])
    check_stage_two(kata, model, epochs=3, learning_rate=1e-3)
