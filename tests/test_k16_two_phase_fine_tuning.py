"""Kata 16: the two-phase transfer-learning recipe (capstone of level 3)."""
import keras
import numpy as np

from dojo import zoo
from dojo.checks import (KataFailure, agree, expect, expect_moved_exactly, leaf_layers,
                         same_float32, snapshot, weighted_leaf_layers)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k16_two_phase_fine_tuning/ that break only it.
REQUIREMENTS = {
    "phase 1 freezes the whole base, BatchNormalization included: only the head trains": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["base_not_frozen_in_phase_1"]),
    "the model is base itself under one new Dense(num_classes, softmax) layer": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["adds_a_hidden_layer_to_the_head", "builds_on_a_copy_of_the_base"]),
    "phase 1 trains with keras.optimizers.Adam(1e-3)": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["trains_the_head_at_a_higher_rate"]),
    "both phases use loss='sparse_categorical_crossentropy'": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["fine_tunes_with_categorical_crossentropy"]),
    "phase 2 unfreezes the top top_k weighted layers of base.layers, BatchNormalization not counted": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["counts_batchnorm_in_top_k", "counts_weightless_layers", "unfreezes_from_the_bottom"]),
    "top_k=0 unfreezes nothing: phase 2 trains the head only": (
        "test_top_k_zero_fine_tunes_the_head_only_and_callbacks_default_to_none",
        ["unfreezes_everything_when_top_k_is_zero"]),
    "top_k=1 unfreezes the top weighted layer alone (the last top_k, not from index top_k)": (
        "test_top_k_zero_fine_tunes_the_head_only_and_callbacks_default_to_none",
        ["slices_from_index_top_k"]),
    "BatchNormalization layers stay frozen in phase 2, moving statistics included": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["trusts_training_false_for_batchnorm"]),
    "phase 2 recompiles with a new keras.optimizers.Adam": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["no_recompile_between_phases", "reuses_phase_1_optimizer", "fine_tunes_with_sgd"]),
    "phase 2's learning rate is at most a tenth of phase 1's": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["same_learning_rate"]),
    "each phase fits its own number of epochs at fit()'s default batch size": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["same_epochs_in_both_phases", "fits_with_a_new_batch_size"]),
    "both fits in graph mode": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["compiles_in_eager_mode"]),
    "callbacks go to both fits": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["callbacks_only_in_phase_1"]),
    "callbacks may be left at its default, None": (
        "test_top_k_zero_fine_tunes_the_head_only_and_callbacks_default_to_none",
        ["adds_a_callback_to_the_list"]),
    "both fits are quiet: verbose=0": (
        "test_top_k_zero_fine_tunes_the_head_only_and_callbacks_default_to_none",
        ["fits_verbosely"]),
    "return (model, head_history, fine_tune_history)": (
        "test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base",
        ["returns_the_histories_swapped"]),
}

NUM_CLASSES = 3
TOP_K = 2
HEAD_EPOCHS = 2        # 128 samples at fit()'s default batch size: 4 steps per epoch
FINE_TUNE_EPOCHS = 3   # neither 1 (fit()'s default) nor HEAD_EPOCHS
DEFAULT_BATCH_SIZE = 32  # fit()'s, when neither batch_size nor steps_per_epoch is given


def base_with_two_batch_norms():
    """A base whose layers make every way of miscounting "the top k" pick the wrong layers.

    layers: dense_1, bn_1, dense_2, dropout, dense_3, bn_2, dense_4. Weighted and not
    BatchNormalization: dense_1..dense_4, so the top 2 are dense_3 and dense_4. Counting bn_2, or
    the weightless dropout, or starting from the bottom, gives another pair.
    """
    layers = keras.layers
    return keras.Sequential([
        keras.Input((zoo.INPUT_DIM,)),
        layers.Dense(16, activation="tanh", name="dense_1"),
        layers.BatchNormalization(name="bn_1"),
        layers.Dense(16, activation="tanh", name="dense_2"),
        layers.Dropout(0.2, name="dropout"),
        layers.Dense(16, activation="tanh", name="dense_3"),
        layers.BatchNormalization(name="bn_2"),
        layers.Dense(8, activation="tanh", name="dense_4"),
    ], name="base")


def functional_base():
    """A functional base (its model.layers starts with the InputLayer): dense_1, bn, dense_2."""
    layers = keras.layers
    inputs = keras.Input((zoo.INPUT_DIM,))
    h = layers.Dense(16, activation="tanh", name="dense_1")(inputs)
    h = layers.BatchNormalization(name="bn")(h)
    return keras.Model(inputs, layers.Dense(8, activation="tanh", name="dense_2")(h), name="base")


def learning_rate_of(optimizer) -> float:
    return float(np.asarray(keras.ops.convert_to_numpy(optimizer.learning_rate)))


def loss_is_sparse_categorical_crossentropy(model, x, y) -> tuple[bool, float, float]:
    """Compare the model's compiled loss on a batch with sparse categorical crossentropy."""
    y_pred = model(x[:32])
    got = float(keras.ops.convert_to_numpy(model.compute_loss(x=x[:32], y=y[:32], y_pred=y_pred)))
    want = float(keras.ops.convert_to_numpy(
        keras.losses.SparseCategoricalCrossentropy()(y[:32], y_pred)))
    return agree(got, want), got, want


class PhaseWatcher(keras.callbacks.Callback):
    """Records each fit() it is passed to: optimizer, mode, loss, and which weights moved.

    It does not raise inside fit(): a problem is stored and reported by the test afterwards.
    """

    def __init__(self, base, top_layers, x, y):
        super().__init__()
        self.base_ids = {id(layer) for layer in base.layers}
        self.top_layers = top_layers
        self.x, self.y = x, y
        self.phases = []

    def on_train_begin(self, logs=None):
        optimizer = self.model.optimizer
        self.phases.append({
            "before": snapshot(self.model),
            "optimizer": optimizer,
            "learning_rate": learning_rate_of(optimizer),
            "iterations": int(keras.ops.convert_to_numpy(optimizer.iterations)),
            "run_eagerly": self.model.run_eagerly,
            "loss": loss_is_sparse_categorical_crossentropy(self.model, self.x, self.y),
            "problem": None,
        })

    def on_train_end(self, logs=None):
        number = len(self.phases)
        phase = self.phases[-1]
        head = [layer for layer in weighted_leaf_layers(self.model) if id(layer) not in self.base_ids]
        if number == 1:
            should_move, during = head, "phase 1 (training the new head on the frozen base)"
        else:
            should_move, during = head + self.top_layers, f"phase {number} (fine-tuning)"
        try:
            expect_moved_exactly(phase["before"], should_move=should_move, during=during)
        except KataFailure as problem:
            phase["problem"] = problem


def check_result(result):
    """The returned value is (model, head_history, fine_tune_history) with a keras.Model first."""
    expect(isinstance(result, tuple) and len(result) == 3,
           f"two_phase_fine_tune must return a tuple (model, head_history, fine_tune_history), "
           f"got {result!r}")
    model = result[0]
    expect(isinstance(model, keras.Model),
           f"the first item returned should be the keras.Model you trained, got {model!r}")
    return result


def check_histories(head_history, fine_tune_history, head_epochs, fine_tune_epochs, samples):
    steps = -(-samples // DEFAULT_BATCH_SIZE)
    for name, history, epochs in (("head_history", head_history, head_epochs),
                                  ("fine_tune_history", fine_tune_history, fine_tune_epochs)):
        expect(isinstance(history, keras.callbacks.History),
               f"{name} should be the History object that model.fit() returns, got {history!r}")
        losses = history.history.get("loss", [])
        expect(len(losses) == epochs,
               f"{name} should hold {epochs} epoch(s) of training, but has {len(losses)} loss "
               f"value(s)")
        ran = history.params.get("steps")
        expect(ran == steps,
               f"both fits should use fit()'s default batch size ({DEFAULT_BATCH_SIZE} samples per "
               f"step: {steps} steps per epoch on these {samples} samples), but the fit() of "
               f"{name} ran {ran} steps per epoch: leave batch_size out")


def test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base(kata):
    base = base_with_two_batch_norms()
    top = [base.get_layer("dense_3"), base.get_layer("dense_4")]
    # Mean far from 0: a BatchNormalization layer in training mode visibly moves its statistics.
    x, y = zoo.classification_data(128, classes=NUM_CLASSES, seed=21, shift=5.0)
    watcher = PhaseWatcher(base, top, x, y)

    result = kata.two_phase_fine_tune(base, x, y, num_classes=NUM_CLASSES, top_k=TOP_K,
                                      head_epochs=HEAD_EPOCHS, fine_tune_epochs=FINE_TUNE_EPOCHS,
                                      callbacks=[watcher])

    model, head_history, fine_tune_history = check_result(result)
    leaves = leaf_layers(model)
    missing = [layer.name for layer in base.layers
               if layer.weights and not any(layer is leaf for leaf in leaves)]
    expect(not missing,
           f"the model must be built on `base` itself (its layers and weights), but the base's "
           f"layer(s) {missing} are not part of the returned model")
    new = [layer for layer in weighted_leaf_layers(model) if id(layer) not in watcher.base_ids]
    expect(len(new) == 1 and isinstance(new[0], keras.layers.Dense)
           and new[0].units == NUM_CLASSES,
           f"the head should be one new Dense(num_classes={NUM_CLASSES}, activation='softmax') "
           f"layer on the base, but the layers with weights outside the base are "
           f"{[f'{type(layer).__name__} {layer.name!r}' for layer in new]}")
    expect(len(watcher.phases) == 2,
           f"the callbacks must be passed to both fit() calls (phase 1 and phase 2), but the test's "
           f"callback saw {len(watcher.phases)} training run(s)")
    phase_1, phase_2 = watcher.phases
    for phase in (phase_1, phase_2):
        if phase["problem"] is not None:
            raise phase["problem"]

    expect(not phase_1["run_eagerly"] and not phase_2["run_eagerly"],
           "both phases must train in graph mode: do not compile with run_eagerly=True")
    expect(isinstance(phase_1["optimizer"], keras.optimizers.Adam)
           and same_float32(phase_1["learning_rate"], 1e-3),
           f"phase 1 should train with keras.optimizers.Adam(1e-3), but it used "
           f"{type(phase_1['optimizer']).__name__} with learning_rate {phase_1['learning_rate']:.6g}")
    expect(phase_2["optimizer"] is not phase_1["optimizer"] and phase_2["iterations"] == 0,
           "phase 2 must train with a NEW optimizer (compile() with a new keras.optimizers.Adam): "
           "the phase-1 optimizer was built for the head's variables only")
    expect(isinstance(phase_2["optimizer"], keras.optimizers.Adam),
           f"phase 2 should train with keras.optimizers.Adam, got "
           f"{type(phase_2['optimizer']).__name__}")
    limit = phase_1["learning_rate"] / 10  # (1 + 1e-5) below: both rates are float32-rounded
    expect(0.0 < phase_2["learning_rate"] <= limit * (1 + 1e-5),
           f"phase 2 should fine-tune with a learning rate of at most a tenth of phase 1's "
           f"({limit:.6g}), but it used {phase_2['learning_rate']:.6g}")
    for number, phase in ((1, phase_1), (2, phase_2)):
        same, got, want = phase["loss"]
        expect(same,
               f"phase {number} should train with loss='sparse_categorical_crossentropy', but its "
               f"compiled loss on a batch is {got:.4f} where that loss gives {want:.4f}")

    check_histories(head_history, fine_tune_history, HEAD_EPOCHS, FINE_TUNE_EPOCHS, len(x))
    probabilities = keras.ops.convert_to_numpy(model(x[:4]))
    expect(probabilities.shape == (4, NUM_CLASSES) and agree(probabilities.sum(axis=1), 1.0),
           f"the model should end in a softmax over num_classes={NUM_CLASSES} classes, but for 4 "
           f"samples it returned an array of shape {probabilities.shape} whose rows sum to "
           f"{np.round(probabilities.sum(axis=-1), 4).tolist()}")


def test_top_k_zero_fine_tunes_the_head_only_and_callbacks_default_to_none(kata, capsys):
    # top_k=0: phase 2 unfreezes nothing, so over both phases the base never moves. A functional
    # base this time, and no callbacks argument: its default, None, must work.
    base = functional_base()
    x, y = zoo.classification_data(32, classes=NUM_CLASSES, seed=22, shift=5.0)  # one step each
    model_before = snapshot(base)

    result = kata.two_phase_fine_tune(base, x, y, num_classes=NUM_CLASSES, top_k=0,
                                      head_epochs=1, fine_tune_epochs=1)

    model, head_history, fine_tune_history = check_result(result)
    changes = model_before.changes()
    for saved in model_before.states:
        change = changes[id(saved.variable)]
        expect(change == 0.0,
               f"with top_k=0 phase 2 unfreezes no layer of the base, so the base should come back "
               f"bit-identical, but the {saved.short_name} of its layer '{saved.layer_name}' moved "
               f"by {change:.1e}. Mind that candidates[-0:] is the whole list, not an empty one")
    check_histories(head_history, fine_tune_history, 1, 1, len(x))

    # top_k=1 on the four-candidate base of the other test: the top one is dense_4 alone. Two
    # epochs per phase: with verbose=-1, fit() prints only its "Epoch 1/2" lines.
    base = base_with_two_batch_norms()
    x, y = zoo.classification_data(32, classes=NUM_CLASSES, seed=23)
    kata.two_phase_fine_tune(base, x, y, num_classes=NUM_CLASSES, top_k=1, head_epochs=2,
                             fine_tune_epochs=2)
    unfrozen = [layer.name for layer in base.layers if layer.weights and layer.trainable]
    expect(unfrozen == ["dense_4"],
           f"with top_k=1 phase 2 should unfreeze the top weighted layer of the base alone "
           f"(dense_4: dense_1..dense_4 count, bn_1 and bn_2 do not), but the base's layers with "
           f"weights left trainable are {unfrozen}. The top k are the last k of those layers, "
           f"not the ones from index k on")
    printed = capsys.readouterr().out.strip()
    expect(not printed,
           f"two_phase_fine_tune printed {len(printed.splitlines())} line(s) while training (a "
           f"progress bar, or a line per epoch): pass verbose=0 to both fits, so they print "
           f"nothing")
