"""Kata 22: gradual unfreezing, one more base layer per stage (ULMFiT)."""
import keras
import numpy as np

from dojo.checks import KataFailure, expect, expect_moved_exactly, same_float32, snapshot

LEARNING_RATE = 1e-2


def small_base():
    """A 'pretrained' base like the zoo's, left at its seeded initial weights (no pretraining:
    the kata only looks at which weights move). Weighted layers: base_dense_1, base_bn,
    base_dense_2, base_dense_3."""
    return keras.Sequential([
        keras.Input((8,)),
        keras.layers.Dense(8, activation="tanh", name="base_dense_1"),
        keras.layers.BatchNormalization(name="base_bn"),
        keras.layers.Dense(8, activation="tanh", name="base_dense_2"),
        keras.layers.Dropout(0.2, name="base_dropout"),
        keras.layers.Dense(4, activation="tanh", name="base_dense_3"),
    ], name="base")


def model_with_head(base):
    inputs = keras.Input((8,))
    outputs = keras.layers.Dense(1, name="head")(base(inputs))
    return keras.Model(inputs, outputs, name="classifier")


def data(n=128, seed=0):
    """Inputs far from 0 (mean 5, std 3), so a BatchNormalization layer in training mode would
    visibly move its moving statistics."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype("float32")
    y = np.tanh(x @ rng.normal(size=(8, 1)).astype("float32") / 3).astype("float32")
    return x * 3 + 5, y


class StageRecorder(keras.callbacks.Callback):
    """Passed to gradual_unfreeze: watches every fit() (= every stage) from the inside.

    At on_train_begin it snapshots the weights and notes the optimizer; at on_train_end it checks
    which layers moved during that fit, keeping the first problem to report after the call.
    """

    def __init__(self, model, expected_moving):
        super().__init__()
        self.watched = model
        self.expected_moving = expected_moving  # stage number (1, 2, ...) -> layers that move
        self.stages = []
        self.problems = []

    def on_train_begin(self, logs=None):
        optimizer = self.watched.optimizer
        self.current = {
            "before": snapshot(self.watched),
            "optimizer": optimizer,
            "iterations": int(np.asarray(optimizer.iterations)) if optimizer is not None else None,
            "loss": self.watched.loss,
        }

    def on_train_end(self, logs=None):
        stage = len(self.stages) + 1
        self.stages.append(self.current)
        moving = self.expected_moving(stage)
        if moving is None:
            return
        try:
            expect_moved_exactly(self.current["before"], moving, during=f"stage {stage}'s fit()")
        except KataFailure as failure:
            self.problems.append(failure)


def test_each_stage_unfreezes_one_more_base_layer_from_the_top(kata):
    base = small_base()
    model = model_with_head(base)
    head = model.get_layer("head")
    dense_1, bn, dense_2, dense_3 = (base.get_layer(name) for name in
                                     ("base_dense_1", "base_bn", "base_dense_2", "base_dense_3"))
    # Stage 1 trains the top base layer, stage 2 the top two, stage 3 all three; the head trains
    # in every stage. `bn` is in no list: it must stay bit-identical in every stage, moving
    # statistics included (the data's mean is far from 0, so training mode would move them).
    expected = {1: [dense_3, head], 2: [dense_2, dense_3, head],
                3: [dense_1, dense_2, dense_3, head]}
    # Everything arrives frozen: the base, the head, and the model itself. gradual_unfreeze must
    # still train the head in every stage.
    model.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mae")
    x, y = data()
    recorder = StageRecorder(model, expected.get)
    before = snapshot(model)

    histories = kata.gradual_unfreeze(model, base, x, y, epochs_per_stage=2,
                                      learning_rate=LEARNING_RATE, callbacks=[recorder])

    stages = recorder.stages
    expect(len(stages) == 3,
           f"gradual_unfreeze should call model.fit() once per stage, passing `callbacks` to "
           f"each: 3 stages for a base whose weighted layers are base_dense_1, base_bn "
           f"(BatchNormalization, not a stage), base_dense_2 and base_dense_3; the callbacks saw "
           f"{len(stages)} fit() "
           f"call(s)" + (". Stages inside one fit() do not work: a flag flipped from a callback "
                         "is ignored by the train function traced at the first step"
                         if len(stages) == 1 else ""))
    if recorder.problems:
        raise recorder.problems[0]
    expect_moved_exactly(before, list(expected[3]), during="gradual_unfreeze()")

    expect(isinstance(histories, (list, tuple)),
           f"gradual_unfreeze should return a list with one History per stage, got {histories!r}")
    expect(len(histories) == 3,
           f"gradual_unfreeze should return one History per stage (3 here), got {len(histories)}")
    for stage, history in enumerate(histories, start=1):
        expect(isinstance(history, keras.callbacks.History),
               f"item {stage - 1} of the returned list should be the History that stage {stage}'s "
               f"model.fit() returned, got {history!r}")
        losses = history.history.get("loss", [])
        expect(len(losses) == 2,
               f"gradual_unfreeze(..., epochs_per_stage=2) should train 2 epochs per stage, but "
               f"the History of stage {stage} has {len(losses)} loss value(s)")
    expect(len({id(h) for h in histories}) == 3,
           "the returned list holds the same History object more than once: keep the History "
           "that each stage's model.fit() returns")

    optimizers = [stage["optimizer"] for stage in stages]
    for stage, record in enumerate(stages, start=1):
        optimizer = record["optimizer"]
        expect(all(optimizer is not other for other in optimizers[:stage - 1]),
               f"stage {stage} trained with the optimizer of an earlier stage: compile each stage "
               f"with a new keras.optimizers.Adam (the old one was built for fewer variables)")
        expect(isinstance(optimizer, keras.optimizers.Adam),
               f"stage {stage} should train with keras.optimizers.Adam, got "
               f"{type(optimizer).__name__}")
        rate = float(np.asarray(optimizer.learning_rate))
        expect(same_float32(rate, LEARNING_RATE),
               f"gradual_unfreeze(..., learning_rate={LEARNING_RATE}) should train every stage "
               f"with that learning rate, but stage {stage}'s optimizer has learning_rate "
               f"{rate:.6g}")
        expect(record["iterations"] == 0,
               f"stage {stage}'s optimizer had already taken {record['iterations']} steps when "
               f"the stage began: each stage needs a fresh optimizer")
        expect(record["loss"] == "mae",
               f"the model was compiled with loss='mae', but stage {stage} trained with "
               f"loss={record['loss']!r}: recompile with loss=model.loss")
    expect(not model.run_eagerly,
           "model.run_eagerly is True after gradual_unfreeze: leave the model in graph mode")

