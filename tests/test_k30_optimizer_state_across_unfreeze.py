"""Kata 30: resume training after an unfreeze with the optimizer already built when the subset
rule allows it (keeping its iterations and moments), with a fresh one of the same class and
settings otherwise."""
import keras
import numpy as np
import tensorflow as tf

from dojo import architectures, zoo
from dojo.checks import (agree, expect, expect_moved_exactly, leaf_layers, same_float32,
                         snapshot)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k30_optimizer_state_across_unfreeze/ that break
# only it.
REQUIREMENTS = {
    "reuse the built optimizer when fit() now trains a subset of the variables it was built on": (
        "test_a_partly_frozen_model_reuses_the_optimizer",
        ["always_fresh", "reuses_only_on_equal_sets"]),
    "the same set of variables counts as a subset: reuse": (
        "test_freeze_then_unfreeze_reuses_the_optimizer_with_its_stale_moments",
        ["reuses_only_a_strict_subset"]),
    "otherwise a fresh optimizer (no Unknown variable)": (
        "test_an_optimizer_built_without_the_unfrozen_layer_is_replaced",
        ["always_reuses", "compares_counts", "compares_variable_names", "rebuilds_the_optimizer"]),
    "recompile, so that fit() trains what the flags say now": (
        "test_freeze_then_unfreeze_reuses_the_optimizer_with_its_stale_moments", ["no_recompile"]),
    "a reused optimizer keeps its iteration count and its moments, stale ones included": (
        "test_freeze_then_unfreeze_reuses_the_optimizer_with_its_stale_moments",
        ["resets_the_moments", "resets_the_iteration_count"]),
    "a fresh optimizer has the class and settings of the built one": (
        "test_an_optimizer_built_without_the_unfrozen_layer_is_replaced",
        ["fresh_with_class_and_rate_only", "fresh_adam"]),
    "keep the loss the model was compiled with, passed to compile() again": (
        "test_an_optimizer_built_without_the_unfrozen_layer_is_replaced",
        ["hard_codes_mse", "compiles_without_a_loss"]),
    "fit for `epochs` epochs at fit()'s default batch size": (
        "test_freeze_then_unfreeze_reuses_the_optimizer_with_its_stale_moments",
        ["ignores_epochs", "fits_with_a_new_batch_size"]),
    "return the History and whether the built optimizer was reused": (
        "test_freeze_then_unfreeze_reuses_the_optimizer_with_its_stale_moments",
        ["returns_whether_fresh"]),
    "leave the trainable flags as they are": (
        "test_a_partly_frozen_model_reuses_the_optimizer", ["unfreezes_everything"]),
}

N = 64
DEFAULT_BATCH_SIZE = 32  # fit()'s: 2 steps per epoch on N samples


def data(seed=30):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, 8)).astype("float32")
    return x, np.tanh(x @ rng.normal(size=(8, 1)) / 3).astype("float32")


def watched(optimizer_class, probes, **options):
    """An optimizer of `optimizer_class` that, at its first step after `arm()`, records the
    moments it holds for each variable of `probes` before updating them: what the step starts
    from. Returns the optimizer, `arm` and `seen` (variable -> (first moment, second moment))."""
    armed = keras.Variable(0, dtype="int32", trainable=False, name="armed")
    seen = {id(p): (keras.Variable(np.full(p.shape, np.nan, "float32"), trainable=False),
                    keras.Variable(np.full(p.shape, np.nan, "float32"), trainable=False))
            for p in probes}

    class Watched(optimizer_class):
        def apply(self, grads, trainable_variables=None):
            if self.built:
                first = keras.ops.equal(armed, 1)
                for probe in probes:
                    if self._var_key(probe) in self._trainable_variables_indices:
                        index = self._get_variable_index(probe)
                        for record, moment in zip(seen[id(probe)],
                                                  (self._momentums[index], self._velocities[index])):
                            record.assign(keras.ops.where(first, moment, record))
                armed.assign(0)
            return super().apply(grads, trainable_variables)

    Watched.__name__ = Watched.__qualname__ = optimizer_class.__name__

    def arm():
        armed.assign(1)

    return Watched(**options), arm, seen


def moments(optimizer, variable):
    index = optimizer._get_variable_index(variable)
    return (np.array(optimizer._momentums[index].numpy(), copy=True),
            np.array(optimizer._velocities[index].numpy(), copy=True))


def train_eagerly(model, x, y, steps=2):
    """A few optimizer steps outside fit() (no traced step to pay for): the optimizer is built on
    the variables trainable now, as fit() would build it, and gets some state."""
    for step in range(steps):
        xb, yb = x[step * 16:(step + 1) * 16], y[step * 16:(step + 1) * 16]
        with tf.GradientTape() as tape:
            loss = keras.ops.mean(keras.ops.square(model(xb, training=True) - yb))
        variables = model.trainable_variables
        model.optimizer.apply(tape.gradient(loss, variables), variables)


def resume(kata, model, x, y, **kwargs):
    """Call the kata; an "Unknown variable" error becomes a message about the model."""
    try:
        result = kata.resume_after_unfreeze(model, x, y, **kwargs)
    except ValueError as error:
        if "Unknown variable" not in str(error):
            raise
        expect(False,
               "fit() raised ValueError: Unknown variable. The optimizer was built before a layer "
               "that fit() now trains was unfrozen, so it has no moments for it and refuses to "
               "update it. Reuse it only when every variable in model.trainable_variables is one "
               "of the variables it was built on (compare them by identity); otherwise compile "
               "with a fresh optimizer of the same class and settings")
    expect(isinstance(result, tuple) and len(result) == 2,
           f"resume_after_unfreeze should return a pair (history, reused), got {result!r}")
    history, reused = result
    expect(isinstance(history, keras.callbacks.History),
           f"the first item returned should be the History that fit() returns, got {history!r}")
    expect(isinstance(reused, bool),
           f"the second item returned should be a bool (True when the built optimizer was "
           f"reused), got {reused!r}")
    return history, reused


def check_fit(history, epochs, called):
    losses = history.history.get("loss", [])
    expect(len(losses) == epochs,
           f"{called} should train for {epochs} epoch(s), but the History it returned has "
           f"{len(losses)} loss value(s)")
    steps = history.params.get("steps")
    expect(steps == N // DEFAULT_BATCH_SIZE,
           f"resume_after_unfreeze should fit at fit()'s default batch size ({DEFAULT_BATCH_SIZE}: "
           f"{N // DEFAULT_BATCH_SIZE} steps per epoch on {N} samples), but it ran {steps} steps "
           f"per epoch. A new batch size makes fit() trace a new train step, which picks up the "
           f"new flags by accident and hides a missing recompile")


def check_reused(optimizer, model, reused, case):
    expect(model.optimizer is optimizer,
           f"{case}: every variable fit() trains now is one the optimizer was built on, so the "
           f"built optimizer (model.optimizer) should be reused, with its state; but the model "
           f"is now compiled with another {type(model.optimizer).__name__} object")
    expect(reused is True,
           f"{case}: the built optimizer was reused, so resume_after_unfreeze should return "
           f"reused=True, got {reused!r}")


def check_iterations(optimizer, iterations_before, steps):
    iterations = int(optimizer.iterations.numpy())
    expect(iterations == iterations_before + steps,
           f"the reused optimizer had taken {iterations_before} steps before the call and the fit "
           f"took {steps} more, so its iteration count should be {iterations_before + steps}, but it "
           f"is {iterations}: keep its state as it is (do not reset optimizer.iterations)")


def test_freeze_then_unfreeze_reuses_the_optimizer_with_its_stale_moments(kata):
    # The optimizer is built while every layer is trainable and takes a few steps; the base is
    # frozen for a traced fit(); then the caller unfreezes it: fit() trains exactly the variables
    # the optimizer was built on again (the edge of the subset rule).
    x, y = data()
    model = architectures.resumable_model("functional")
    base = model.get_layer("base")
    unfrozen = base.get_layer("base_dense_1").kernel  # frozen in between: stale moments
    kept = model.get_layer("head").kernel  # trained all along
    optimizer, arm, seen = watched(keras.optimizers.Adam, [unfrozen, kept], learning_rate=1e-2)
    zoo.compile_ready_to_fit(model, optimizer, "mse")
    train_eagerly(model, x, y)
    stale = moments(optimizer, unfrozen)
    base.trainable = False
    zoo.compile_ready_to_fit(model, optimizer, "mse")
    model.fit(x, y, epochs=1, verbose=0)  # traced with the base frozen
    base.trainable = True
    iterations_before = int(optimizer.iterations.numpy())
    current = moments(optimizer, kept)
    before = snapshot(model)
    arm()

    history, reused = resume(kata, model, x, y, epochs=2)

    check_reused(optimizer, model, reused, "the base was unfrozen again")
    check_fit(history, 2, "resume_after_unfreeze(model, x, y, epochs=2)")
    check_iterations(optimizer, iterations_before, 2 * N // DEFAULT_BATCH_SIZE)
    still = [layer.name for layer in base.layers if before.layer_change(layer) == 0.0]
    expect(not still,
           f"the base was unfrozen, but its layer(s) {still} did not change during "
           f"resume_after_unfreeze(): fit() kept running the train step it traced while the base "
           f"was frozen. Recompile (model.compile(...)) so that it traces a new one")
    expect_moved_exactly(before, should_move=[l for l in leaf_layers(model) if l.weights],
                         during="resume_after_unfreeze()")
    for variable, want, what in ((unfrozen, stale, "its stale moments, from its last step before "
                                  "the freeze"),
                                 (kept, current, "the moments it had when the function was called")):
        got = [np.asarray(record.numpy()) for record in seen[id(variable)]]
        expect(all(np.array_equal(g, w) for g, w in zip(got, want)),
               f"the first step of the resumed training should start from the optimizer's moments "
               f"for {variable.path} as they were: {what}. But they were reset or replaced before "
               f"that step: a reused optimizer keeps its moments")


def test_a_partly_frozen_model_reuses_the_optimizer(kata):
    # Built on every variable; the base and the neck are frozen for a while; the caller then
    # unfreezes one layer of the base only: fit() trains a strict subset of the variables the
    # optimizer was built on. A Sequential model.
    x, y = data()
    model = architectures.resumable_model("sequential")
    base, neck = model.get_layer("base"), model.get_layer("neck")
    optimizer = keras.optimizers.Adam(1e-2)
    zoo.compile_ready_to_fit(model, optimizer, "mse")
    train_eagerly(model, x, y)
    base.trainable = False
    neck.trainable = False
    train_eagerly(model, x, y)
    base.trainable = True
    base.get_layer("base_dense_1").trainable = False
    iterations_before = int(optimizer.iterations.numpy())
    trained = [base.get_layer("base_dense_2"), model.get_layer("head")]
    before = snapshot(model)

    history, reused = resume(kata, model, x, y)

    check_reused(optimizer, model, reused,
                 "only base_dense_2 was unfrozen, base_dense_1 and neck stay frozen")
    check_fit(history, 1, "resume_after_unfreeze(model, x, y), called without epochs (default 1),")
    check_iterations(optimizer, iterations_before, N // DEFAULT_BATCH_SIZE)
    expect_moved_exactly(before, should_move=trained, during="resume_after_unfreeze()")


def test_an_optimizer_built_without_the_unfrozen_layer_is_replaced(kata):
    # The optimizer is built while base_dense_1 is frozen; the caller then unfreezes it and
    # freezes the neck: fit() trains as many variables as the optimizer was built on, but not
    # the same ones. SGD with momentum and the loss "mae".
    x, y = data()
    model = architectures.resumable_model("functional")
    base = model.get_layer("base")
    first, neck = base.get_layer("base_dense_1"), model.get_layer("neck")
    first.trainable = False
    optimizer = keras.optimizers.SGD(0.05, momentum=0.9)
    zoo.compile_ready_to_fit(model, optimizer, "mae")
    train_eagerly(model, x, y)
    first.trainable = True
    neck.trainable = False
    settings = {k: v for k, v in optimizer.get_config().items() if k != "name"}
    trained = [first, base.get_layer("base_dense_2"), model.get_layer("head")]
    before = snapshot(model)

    history, reused = resume(kata, model, x, y)

    fresh = model.optimizer
    expect(fresh is not optimizer,
           "base_dense_1 was frozen when the optimizer was built, so it has no moments for it: "
           "compile with a fresh optimizer")
    expect(reused is False,
           f"a fresh optimizer was needed, so resume_after_unfreeze should return reused=False, "
           f"got {reused!r}")
    expect(type(fresh) is type(optimizer),
           f"the fresh optimizer should be of the built one's class, {type(optimizer).__name__}, "
           f"but its class is {type(fresh).__name__}")
    got = {k: v for k, v in fresh.get_config().items() if k != "name"}
    rate = got.pop("learning_rate")
    expect(same_float32(rate, settings.pop("learning_rate")),
           f"the fresh optimizer should have the built one's learning rate, 0.05, but it has "
           f"{rate:.6g}")
    different = {k: (settings[k], got.get(k)) for k in settings if got.get(k) != settings[k]}
    expect(not different,
           f"the fresh optimizer should have every setting of the built one, but these differ "
           f"(built, fresh): {different}. type(optimizer).from_config(optimizer.get_config()) "
           f"copies them all")
    steps = N // DEFAULT_BATCH_SIZE
    expect(int(fresh.iterations.numpy()) == steps,
           f"the fresh optimizer should start from 0 steps and take the fit's {steps}, but its "
           f"iteration count is {int(fresh.iterations.numpy())}")
    check_fit(history, 1, "resume_after_unfreeze(model, x, y), called without epochs (default 1),")
    expect_moved_exactly(before, should_move=trained, during="resume_after_unfreeze()")
    y_pred = model(x[:DEFAULT_BATCH_SIZE])
    got_loss = float(keras.ops.convert_to_numpy(
        model.compute_loss(x=x[:DEFAULT_BATCH_SIZE], y=y[:DEFAULT_BATCH_SIZE], y_pred=y_pred)))
    want = float(np.mean(np.abs(keras.ops.convert_to_numpy(y_pred) - y[:DEFAULT_BATCH_SIZE])))
    expect(agree(got_loss, want),
           f"the model was compiled with loss='mae' and should keep it (model.loss), but its loss "
           f"on a batch is now {got_loss:.4f} where 'mae' gives {want:.4f}")
    recorded = model.get_compile_config()["loss"]
    expect(recorded == "mae",
           f"the model trains with loss='mae', but its compile config records the loss "
           f"{recorded!r}: compile() given no loss keeps the old one for training and records "
           f"none, so this model, saved and loaded back, would have no loss to train with. Pass "
           f"it again: model.compile(optimizer=..., loss=model.loss)")
