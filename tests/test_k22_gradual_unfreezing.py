"""Kata 22: gradual unfreezing, one more base layer per stage (ULMFiT)."""
import keras
import numpy as np

from dojo.checks import KataFailure, expect, expect_moved_exactly, same_float32, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k22_gradual_unfreezing/ that break only it.
REQUIREMENTS = {
    "stage i trains the top i weighted base layers, top down, with a recompile per stage": (
        "test_each_stage_unfreezes_one_more_base_layer_from_the_top",
        ["unfreezes_from_the_bottom", "no_recompile", "unfreezes_in_a_callback"]),
    "one stage per weighted base layer, no head-only stage": (
        "test_each_stage_unfreezes_one_more_base_layer_from_the_top", ["adds_a_head_only_stage"]),
    "the stages are the weighted leaf layers of the base, nested models searched": (
        "test_each_stage_unfreezes_one_more_base_layer_from_the_top",
        ["searches_only_the_top_level_of_base"]),
    "BatchNormalization is no stage and stays frozen, moving statistics included": (
        "test_each_stage_unfreezes_one_more_base_layer_from_the_top", ["unfreezes_batchnorm"]),
    "the head trains in every stage, even when it arrived frozen on its own": (
        "test_each_stage_unfreezes_one_more_base_layer_from_the_top",
        ["forgets_the_head", "unfreezes_the_head_through_model_trainable"]),
    "a model that arrives frozen as a whole trains too": (
        "test_a_one_stage_base_and_the_default_arguments", ["leaves_the_model_frozen"]),
    "each stage compiles with a new Adam(learning_rate) and model.loss": (
        "test_each_stage_unfreezes_one_more_base_layer_from_the_top",
        ["shares_one_optimizer", "compiles_without_the_loss"]),
    "callbacks=None (the default) means no callbacks": (
        "test_a_one_stage_base_and_the_default_arguments", ["adds_a_callback_to_the_list"]),
}

LEARNING_RATE = 1e-2


def small_base():
    """A 'pretrained' base like the zoo's, left at its seeded initial weights (no pretraining:
    the kata only looks at which weights move), with a nested block. Weighted leaf layers:
    base_dense_1, block/base_bn, block/base_dense_2, base_dense_3."""
    block = keras.Sequential([
        keras.layers.BatchNormalization(name="base_bn"),
        keras.layers.Dense(8, activation="tanh", name="base_dense_2"),
    ], name="block")
    return keras.Sequential([
        keras.Input((8,)),
        keras.layers.Dense(8, activation="tanh", name="base_dense_1"),
        block,
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
            "loss_config": self.watched.get_compile_config().get("loss"),
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
    block = base.get_layer("block")
    dense_1, dense_3 = base.get_layer("base_dense_1"), base.get_layer("base_dense_3")
    bn, dense_2 = block.get_layer("base_bn"), block.get_layer("base_dense_2")
    # Stage 1 trains the top base layer, stage 2 the top two, stage 3 all three; the head trains
    # in every stage. `bn` is in no list: it must stay bit-identical in every stage, moving
    # statistics included (the data's mean is far from 0, so training mode would move them).
    expected = {1: [dense_3, head], 2: [dense_2, dense_3, head],
                3: [dense_1, dense_2, dense_3, head]}
    # The base arrives frozen, and so does the head, on its own: the model itself is trainable.
    # gradual_unfreeze must train the head in every stage all the same.
    base.trainable = False
    head.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mae")
    x, y = data()
    recorder = StageRecorder(model, expected.get)
    before = snapshot(model)

    histories = kata.gradual_unfreeze(model, base, x, y, epochs_per_stage=2,
                                      learning_rate=LEARNING_RATE, callbacks=[recorder])

    stages = recorder.stages
    expect(len(stages) == 3,
           f"gradual_unfreeze should call model.fit() once per stage, passing `callbacks` to "
           f"each: 3 stages for a base whose weighted leaf layers are base_dense_1, block/base_bn "
           f"(BatchNormalization, not a stage), block/base_dense_2 and base_dense_3; the "
           f"callbacks saw "
           f"{len(stages)} fit() "
           f"call(s)" + (". Stages inside one fit() do not work: a flag flipped from a callback "
                         "is ignored by the train step traced at the first batch, which fit() "
                         "reuses while the batches keep their size" if len(stages) == 1 else ""))
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
        expect(record["loss_config"] == "mae",
               f"the model was compiled with loss='mae', but stage {stage} began with a compile "
               f"config that says loss={record['loss_config']!r}: compile() without loss goes on "
               f"computing the old one in fit(), but model.save() stores the compile config, and "
               f"the reloaded model has no loss at all. Recompile with loss=model.loss")
    expect(not model.run_eagerly,
           "model.run_eagerly is True after gradual_unfreeze: leave the model in graph mode")



def test_a_one_stage_base_and_the_default_arguments(kata):
    base = keras.Sequential([
        keras.Input((8,)),
        keras.layers.Dense(4, activation="tanh", name="base_dense"),
        keras.layers.BatchNormalization(name="base_bn"),
    ], name="base")
    inputs = keras.Input((8,))
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(base(inputs)), name="classifier")
    model.trainable = False  # everything arrives frozen: the model, the base and the head
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    x, y = data()
    before = snapshot(model)

    histories = kata.gradual_unfreeze(model, base, x, y)  # the other arguments: their defaults

    expect(isinstance(histories, (list, tuple)) and len(histories) == 1,
           f"a base with one weighted layer besides BatchNormalization has one stage: "
           f"gradual_unfreeze should return a list with one History, got {histories!r}")
    losses = histories[0].history.get("loss", []) if isinstance(
        histories[0], keras.callbacks.History) else None
    expect(losses is not None and len(losses) == 1,
           f"with the default epochs_per_stage=1 the stage should train 1 epoch, but its History "
           f"has {len(losses or [])} loss value(s)")
    expect_moved_exactly(before, [base.get_layer("base_dense"), model.get_layer("head")],
                         during="gradual_unfreeze() of a model that arrived frozen")
    optimizer = model.optimizer
    expect(isinstance(optimizer, keras.optimizers.Adam)
           and same_float32(float(np.asarray(optimizer.learning_rate)), 1e-4),
           f"with the default learning_rate=1e-4 the stage should train with "
           f"keras.optimizers.Adam(1e-4), but the model's optimizer is {type(optimizer).__name__} "
           f"with learning_rate {float(np.asarray(optimizer.learning_rate)):.6g}")
