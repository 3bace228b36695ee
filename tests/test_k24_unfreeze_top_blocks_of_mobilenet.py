"""Kata 24: unfreeze the top blocks of a real MobileNetV2, BatchNormalization frozen (practice
challenge 2).

Speed: building MobileNetV2 costs 0.2-0.5 s and a traced fit() of it 12-19 s. So each worker
process builds one (alpha 0.35, 32x32x3, seeded) and every test restores it as built; flags are
checked on `base.trainable_weights` and `model.trainable_weights` (what fit() trains), and the
weights move in one eager training step (dojo.architectures.train_one_step, the step fit() takes).
"""
import functools
import re

import keras
import numpy as np
import pytest

from dojo import architectures
from dojo.checks import (KataFailure, _with_map, expect, expect_flags, expect_moved_exactly,
                         is_trained, snapshot, trainable_ids)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k24_unfreeze_top_blocks_of_mobilenet/ that break
# only it.
REQUIREMENTS = {
    "unfreeze the last n blocks, found by block number (block_<17-n> to block_16)": (
        "test_a_base_with_layers_frozen_one_by_one_and_others_trainable",
        ["unfreezes_the_first_n_blocks", "one_block_too_many", "matches_block_names_by_prefix"]),
    "and every layer after block 16, whatever it is (Conv_1, a classifier)": (
        "test_a_base_with_a_classifier_trains_it_with_the_top_blocks",
        ["leaves_conv_1_frozen", "hard_codes_the_layers_after_block_16"]),
    "every BatchNormalization layer stays frozen, in the unfrozen blocks and Conv_1_bn too": (
        "test_a_frozen_base_in_a_model_trains_its_top_blocks_and_nothing_else",
        ["finds_batchnorm_by_name", "freezes_batchnorm_before_unfreezing_the_base",
         "freezes_batchnorm_variables_only"]),
    "everything else is frozen, also layers that arrive trainable": (
        "test_a_base_with_layers_frozen_one_by_one_and_others_trainable", ["never_freezes"]),
    "a base frozen as a whole trains afterwards (base.trainable ends True)": (
        "test_a_frozen_base_in_a_model_trains_its_top_blocks_and_nothing_else",
        ["leaves_the_base_flag_false"]),
    "layers frozen one by one are unfrozen (base.trainable = True is a no-op then)": (
        "test_a_base_with_layers_frozen_one_by_one_and_others_trainable",
        ["trusts_base_trainable_true"]),
    "n = 0 freezes the whole base; n = 16 unfreezes every block, the stem stays frozen": (
        "test_n_zero_and_n_sixteen", ["slices_with_minus_n", "rejects_n_sixteen"]),
    "any other n raises ValueError, before changing any flag": (
        "test_n_out_of_range_raises_value_error_and_changes_no_flag",
        ["no_range_check", "checks_n_after_unfreezing"]),
    "return the names of the layers fit() now trains, in the order of base.layers": (
        "test_a_frozen_base_in_a_model_trains_its_top_blocks_and_nothing_else",
        ["lists_weightless_layers_too", "returns_a_sorted_set"]),
}

BLOCKS = 16
BLOCK_NAME = re.compile(r"block_(\d+)_")


@functools.cache
def _built():
    """This worker's MobileNetV2 and its weights as built (one build per process: 0.2-0.5 s)."""
    base = architectures.mobilenet_v2()
    return base, base.get_weights()


def fresh_base():
    """The worker's MobileNetV2 as built: its first weights, every layer trainable."""
    base, weights = _built()
    base.set_weights(weights)
    base.trainable = False
    base.trainable = True  # False then True: every layer and every variable trainable again
    return base


def block_of(layer):
    match = BLOCK_NAME.match(layer.name)
    return int(match.group(1)) if match else None


def is_batchnorm(layer):
    return isinstance(layer, keras.layers.BatchNormalization)


def in_top_blocks(base, n):
    """The layers of the last n blocks and every layer after block 16 (none when n = 0)."""
    after_16 = max(i for i, layer in enumerate(base.layers) if block_of(layer) == BLOCKS) + 1
    return [layer for index, layer in enumerate(base.layers)
            if n > 0 and ((block_of(layer) or 0) > BLOCKS - n or index >= after_16)]


def expected_split(base, n):
    """(trained, frozen): the weighted layers of base.layers that fit() must train, and the rest.

    Trained: the convolutions of blocks 17-n to 16 and every weighted layer after block 16 that
    is not a BatchNormalization layer; none of them when n = 0."""
    top = {id(layer) for layer in in_top_blocks(base, n)}
    trained, frozen = [], []
    for layer in base.layers:
        if layer.weights:
            wanted = id(layer) in top and not is_batchnorm(layer)
            (trained if wanted else frozen).append(layer)
    return trained, frozen


def unfreeze(kata, base, n):
    return kata.unfreeze_top_blocks(base, n)


def expect_batchnorm_frozen(base, n):
    live = [layer.name for layer in base.layers if is_batchnorm(layer) and is_trained(base, layer)]
    expect(not live,
           f"after unfreeze_top_blocks(base, {n}), BatchNormalization layer(s) "
           f"{', '.join(live[:4])}{' ...' if len(live) > 4 else ''} are trainable. Keep every "
           f"BatchNormalization layer frozen, those in the unfrozen blocks too: a frozen one runs "
           f"in inference mode (its moving statistics stay those of the pretraining data), an "
           f"unfrozen one trains gamma and beta and updates its statistics during fit(), even "
           f"when the base is called with training=False. Find them with isinstance(layer, "
           f"keras.layers.BatchNormalization), not by name (MobileNetV2 has bn_Conv1, "
           f"block_1_expand_BN and Conv_1_bn), and freeze them last: unfreezing the base "
           f"(base.trainable = True on a frozen base) makes every layer in it trainable again")
    running = [layer.name for layer in base.layers if is_batchnorm(layer) and layer.trainable]
    expect(not running,
           f"after unfreeze_top_blocks(base, {n}), BatchNormalization layer(s) "
           f"{', '.join(running[:4])}{' ...' if len(running) > 4 else ''} have no trainable "
           f"variable, but their own trainable flag is True: such a layer still runs in training "
           f"mode during fit() and updates its moving mean and variance (kata 13). Freeze the "
           f"layer itself: layer.trainable = False")


def expect_base_trains(base, n):
    expect(n == 0 or base.trainable_weights,
           f"after unfreeze_top_blocks(base, {n}), base.trainable is {base.trainable} and "
           f"base.trainable_weights is empty: fit() on the base trains nothing. A frozen base "
           f"hides the weights of every layer inside it, whatever their own flags say: set "
           f"base.trainable = True, then each layer's flag")


def names_of(layers, at_most=4):
    names = [layer.name for layer in layers]
    return ", ".join(names[:at_most]) + (f" and {len(names) - at_most} more" if len(names) > at_most
                                         else "")


def expect_split(base, n, arrived_frozen=()):
    """fit() on `base` trains exactly the layers the statement names (read from
    base.trainable_weights). `arrived_frozen`: layers frozen one by one before the call."""
    trained, frozen = expected_split(base, n)
    live = trainable_ids(base)
    idle = [layer for layer in trained if not any(id(v) in live for v in layer.weights)]
    busy = [layer for layer in frozen if any(id(v) in live for v in layer.weights)]
    call = f"unfreeze_top_blocks(base, {n})"
    problems = []
    if busy:
        top = "block 16" if n == 1 else f"blocks {17 - n} to 16"
        rest = "the stem" if n == 16 else ("the stem and block 1" if n == 15 else
                                           f"the stem and blocks 1 to {16 - n}")
        rule = ("n = 0 unfreezes nothing: the whole base ends frozen, the layers after block 16 "
                "too (mind that a [-0:] slice is the whole list, not an empty one)" if n == 0 else
                f"only {top} and the layers after block 16 train: freeze {rest}, also the layers "
                f"that arrive trainable")
        problems.append(f"after {call}, fit() still trains {names_of(busy)}: {rule}")
    if idle:
        stayed_frozen = {id(layer) for layer in trained} & {id(layer) for layer in arrived_frozen}
        if base.trainable and stayed_frozen and {id(layer) for layer in idle} == stayed_frozen:
            why = ("they arrived frozen one by one while base.trainable was already True, and "
                   "then base.trainable = True does nothing on the TensorFlow backend (assigning "
                   "a flag the value it has is a no-op): set each layer's flag yourself")
        elif any((block_of(layer) or 0) >= 10 for layer in idle):
            why = ("compare block numbers as numbers, not as text: "
                   "'block_12_expand'.startswith('block_1') is True")
        elif any(block_of(layer) is None for layer in idle):
            why = ("every layer after block 16 trains, whatever it is: Conv_1, and the "
                   "classifier of a base built with include_top=True")
        else:
            why = f"those are the layers of the last {n} block(s) and of the layers after them"
        problems.append(f"after {call}, fit() should train {names_of(idle)}, but does not: {why}")
    if problems:
        raise KataFailure(_with_map(problems, snapshot(base), show_change=False))
    return trained, frozen


def expect_names(result, trained, n):
    want = [layer.name for layer in trained]
    expect(isinstance(result, list) and all(isinstance(name, str) for name in result),
           f"unfreeze_top_blocks(base, {n}) should return a list of layer names (str), got "
           f"{result!r}")
    extra = [name for name in result if name not in want]
    missing = [name for name in want if name not in result]
    detail = (f"; these own no trainable weight: {extra[:5]}" if extra else "") + (
        f"; missing: {missing[:5]}" if missing else "")
    if not (extra or missing) and result != want:
        detail = "; same names, but not in the order of base.layers"
    expect(result == want,
           f"unfreeze_top_blocks(base, {n}) should return the names of the {len(want)} layers "
           f"whose weights fit() now trains, in the order of base.layers: {want}, got "
           f"{result}{detail}. Layers without weights (ReLU, Add, ZeroPadding2D) and frozen ones "
           f"are not listed")


def flags(model):
    """Every layer's flag and every variable's flag, at every depth."""
    return [(layer.name, layer.trainable, [v.trainable for v in layer.weights])
            for layer in model._flatten_layers(include_self=True)]


def test_a_frozen_base_in_a_model_trains_its_top_blocks_and_nothing_else(kata):
    base = fresh_base()
    model = architectures.cnn_with_head(base)  # base(inputs, training=False), pool, head
    base.trainable = False  # stage one: the head was trained on the frozen base
    result = unfreeze(kata, base, 3)
    expect_base_trains(base, 3)
    expect_batchnorm_frozen(base, 3)
    trained, frozen = expect_split(base, 3)
    assert len(trained) == 10, trained  # 3 blocks x 3 convolutions, and Conv_1
    head = model.get_layer("head")
    expect_flags(model, frozen=frozen, trained=[*trained, head])
    expect_names(result, trained, 3)
    before = snapshot(model)
    architectures.train_one_step(model, architectures.images(2), np.zeros((2, 1), "float32"))
    expect_moved_exactly(before, should_move=[*trained, head],
                         during="one training step of the model (base and head)")


def test_a_base_with_layers_frozen_one_by_one_and_others_trainable(kata):
    base = fresh_base()
    # An earlier experiment froze blocks 13 to 16 and the layers after them one by one:
    # base.trainable is still True, and the stem and blocks 1 to 12 are still trainable.
    frozen_before = in_top_blocks(base, 4)
    for layer in frozen_before:
        layer.trainable = False
    unfreeze(kata, base, 7)
    expect_batchnorm_frozen(base, 7)
    expect_split(base, 7, arrived_frozen=frozen_before)


@pytest.mark.parametrize("n", [0, 16])
def test_n_zero_and_n_sixteen(kata, n):
    base = fresh_base()
    try:
        result = unfreeze(kata, base, n)
    except ValueError as error:
        raise KataFailure(f"unfreeze_top_blocks(base, {n}) raised ValueError ({error}), but n may "
                          f"be anything from 0 to 16: MobileNetV2 has 16 blocks") from None
    expect_batchnorm_frozen(base, n)
    trained, _ = expect_split(base, n)
    assert len(trained) == (0 if n == 0 else 49), trained  # 16 x 3 convolutions, and Conv_1
    expect_names(result, trained, n)


@pytest.mark.parametrize("n", [-1, 17])
def test_n_out_of_range_raises_value_error_and_changes_no_flag(kata, n):
    base = fresh_base()
    base.trainable = False  # as after training a head on it
    before = flags(base)
    with pytest.raises(ValueError):
        unfreeze(kata, base, n)
        pytest.fail(f"unfreeze_top_blocks(base, {n}) should raise ValueError: MobileNetV2 has 16 "
                    f"blocks, so n goes from 0 to 16")
    changed = [name for (name, *was), (_, *now) in zip(before, flags(base)) if was != now]
    expect(not changed,
           f"unfreeze_top_blocks(base, {n}) raised ValueError, but only after changing the flags "
           f"of {', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''}: check n before "
           f"changing anything, so that a wrong call leaves the base as it was")


def test_a_base_with_a_classifier_trains_it_with_the_top_blocks(kata):
    base = fresh_base()
    # The layers MobileNetV2(include_top=True) adds after out_relu, on this worker's base:
    pooled = keras.layers.GlobalAveragePooling2D(name="global_average_pooling2d")(base.output)
    predictions = keras.layers.Dense(3, activation="softmax", name="predictions")(pooled)
    classifier = keras.Model(base.input, predictions, name="mobilenetv2_with_top")
    classifier.trainable = False
    result = unfreeze(kata, classifier, 1)
    expect_base_trains(classifier, 1)
    expect_batchnorm_frozen(classifier, 1)
    trained, _ = expect_split(classifier, 1)
    assert [layer.name for layer in trained][-2:] == ["Conv_1", "predictions"], trained
    expect_names(result, trained, 1)
