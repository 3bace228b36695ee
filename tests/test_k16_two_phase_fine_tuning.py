"""Kata 16: the two-phase transfer-learning recipe (capstone of level 3)."""
import keras
import numpy as np

from dojo import zoo
from dojo.checks import (KataFailure, agree, expect, expect_moved_exactly, leaf_layers,
                         same_float32, snapshot, weighted_leaf_layers)

NUM_CLASSES = 3
TOP_K = 2
HEAD_EPOCHS = 2        # 128 samples at fit()'s default batch size: 4 steps per epoch
FINE_TUNE_EPOCHS = 1


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


def learning_rate_of(optimizer) -> float:
    return float(np.asarray(keras.ops.convert_to_numpy(optimizer.learning_rate)))


class PhaseWatcher(keras.callbacks.Callback):
    """Records each fit() it is passed to: optimizer, mode, and which weights moved.

    It does not raise inside fit(): a problem is stored and reported by the test afterwards.
    """

    def __init__(self, base, top_layers):
        super().__init__()
        self.base_ids = {id(layer) for layer in base.layers}
        self.top_layers = top_layers
        self.phases = []

    def on_train_begin(self, logs=None):
        optimizer = self.model.optimizer
        self.phases.append({
            "before": snapshot(self.model),
            "optimizer": optimizer,
            "learning_rate": learning_rate_of(optimizer),
            "iterations": int(keras.ops.convert_to_numpy(optimizer.iterations)),
            "run_eagerly": self.model.run_eagerly,
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


def test_phase_one_trains_the_head_and_phase_two_the_top_of_the_base(kata):
    base = base_with_two_batch_norms()
    top = [base.get_layer("dense_3"), base.get_layer("dense_4")]
    # Mean far from 0: a BatchNormalization layer in training mode visibly moves its statistics.
    x, y = zoo.classification_data(128, classes=NUM_CLASSES, seed=21, shift=5.0)
    watcher = PhaseWatcher(base, top)

    result = kata.two_phase_fine_tune(base, x, y, num_classes=NUM_CLASSES, top_k=TOP_K,
                                      head_epochs=HEAD_EPOCHS, fine_tune_epochs=FINE_TUNE_EPOCHS,
                                      callbacks=[watcher])

    expect(isinstance(result, tuple) and len(result) == 3,
           f"two_phase_fine_tune must return a tuple (model, head_history, fine_tune_history), "
           f"got {result!r}")
    model, head_history, fine_tune_history = result
    expect(isinstance(model, keras.Model),
           f"the first item returned should be the keras.Model you trained, got {model!r}")
    leaves = leaf_layers(model)
    missing = [layer.name for layer in base.layers
               if layer.weights and not any(layer is leaf for leaf in leaves)]
    expect(not missing,
           f"the model must be built on `base` itself (its layers and weights), but the base's "
           f"layer(s) {missing} are not part of the returned model")
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

    for name, history, epochs in (("head_history", head_history, HEAD_EPOCHS),
                                  ("fine_tune_history", fine_tune_history, FINE_TUNE_EPOCHS)):
        expect(isinstance(history, keras.callbacks.History),
               f"{name} should be the History object that model.fit() returns, got {history!r}")
        losses = history.history.get("loss", [])
        expect(len(losses) == epochs,
               f"{name} should hold {epochs} epoch(s) of training, but has {len(losses)} loss "
               f"value(s)")

    probabilities = keras.ops.convert_to_numpy(model(x[:4]))
    expect(probabilities.shape == (4, NUM_CLASSES) and agree(probabilities.sum(axis=1), 1.0),
           f"the model should end in a softmax over num_classes={NUM_CLASSES} classes, but for 4 "
           f"samples it returned an array of shape {probabilities.shape} whose rows sum to "
           f"{np.round(probabilities.sum(axis=-1), 4).tolist()}")
    got = float(keras.ops.convert_to_numpy(model.compute_loss(x=x[:32], y=y[:32],
                                                              y_pred=model(x[:32]))))
    want = float(keras.ops.convert_to_numpy(
        keras.losses.SparseCategoricalCrossentropy()(y[:32], model(x[:32]))))
    expect(agree(got, want),
           f"the model should be compiled with loss='sparse_categorical_crossentropy', but its "
           f"loss on a batch is {got:.4f} where that loss gives {want:.4f}")
