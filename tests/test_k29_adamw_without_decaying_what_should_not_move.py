"""Kata 29: compile with AdamW whose weight decay spares biases, LayerNormalization and
BatchNormalization parameters and frozen layers."""
import keras
import numpy as np

from dojo import architectures, zoo
from dojo.checks import (agree, expect, expect_moved_exactly, leaf_layers, qualified_names,
                         same_float32, snapshot)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k29_adamw_without_decaying_what_should_not_move/
# that break only it.
REQUIREMENTS = {
    "compile with a new keras.optimizers.AdamW and return it": (
        "test_excluded_variables_still_train_and_frozen_layers_stay_put",
        ["adam_with_weight_decay", "returns_nothing"]),
    "at the learning rate given": (
        "test_excluded_variables_still_train_and_frozen_layers_stay_put",
        ["ignores_the_learning_rate"]),
    "with the weight decay given": (
        "test_excluded_variables_still_train_and_frozen_layers_stay_put",
        ["ignores_the_weight_decay"]),
    "weight_decay defaults to AdamW's own default, 0.004": (
        "test_only_kernels_decay_by_the_default_rate", ["another_default_weight_decay"]),
    "compile with the loss mse": (
        "test_excluded_variables_still_train_and_frozen_layers_stay_put", ["compiles_with_mae"]),
    "every bias is excluded from weight decay": (
        "test_only_kernels_decay_by_the_default_rate",
        ["excludes_only_the_norms", "excludes_in_two_calls"]),
    "the gamma and beta of LayerNormalization and BatchNormalization are excluded": (
        "test_only_kernels_decay_by_the_default_rate",
        ["excludes_only_the_biases", "forgets_batch_normalization"]),
    "nested models get the same exclusions": (
        "test_only_kernels_decay_by_the_default_rate", ["skips_nested_models"]),
    "every other trained variable decays, whatever its layer's name": (
        "test_only_kernels_decay_by_the_default_rate",
        ["matches_bias_in_the_path", "excludes_by_short_names"]),
    "excluded variables still train": (
        "test_excluded_variables_still_train_and_frozen_layers_stay_put",
        ["freezes_the_excluded_variables"]),
    "frozen layers stay frozen and bit-identical": (
        "test_excluded_variables_still_train_and_frozen_layers_stay_put",
        ["unfreezes_to_find_every_bias"]),
}

N = 64  # training samples
BATCH_SIZE = 16  # 4 steps per epoch
NORMALIZATION = (keras.layers.LayerNormalization, keras.layers.BatchNormalization)


def data(targets="learnable", seed=29):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, 6)).astype("float32")
    if targets == "zero":
        return x, np.zeros((N, 1), "float32")
    return x, np.tanh(x @ rng.normal(size=(6, 1))).astype("float32")


def should_be_excluded(layer, variable) -> bool:
    """What the statement excludes: every bias; the gamma and beta of a normalization layer."""
    short = variable.path.rsplit("/", 1)[-1]
    return short == "bias" or (isinstance(layer, NORMALIZATION) and short in ("gamma", "beta"))


def variables_by_role(model):
    """(qualified layer name, layer, variable) for every variable of every leaf layer."""
    names = qualified_names(model)
    return [(names[id(layer)], layer, v) for layer in leaf_layers(model) for v in layer.weights]


def compiled(kata, model, *args, **kwargs):
    """Call the kata, check that it returned the AdamW that the model is now compiled with, and
    build it for the variables fit() trains (as fit() would at its first step, only sooner: see
    zoo.compile_ready_to_fit)."""
    returned = kata.compile_with_adamw(model, *args, **kwargs)
    optimizer = model.optimizer
    expect(optimizer is not None,
           "compile_with_adamw must compile the model: model.optimizer is None")
    expect(isinstance(optimizer, keras.optimizers.AdamW),
           f"compile_with_adamw should compile the model with keras.optimizers.AdamW, but its "
           f"optimizer is {type(optimizer).__name__}. (Adam, SGD, ... accept weight_decay too "
           f"and decay the same way; the task asks for AdamW, whose decay is on by default)")
    expect(returned is optimizer,
           f"compile_with_adamw should return the AdamW optimizer it compiled the model with, "
           f"but it returned {returned!r}")
    if not optimizer.built and model.trainable_variables:
        optimizer.build(model.trainable_variables)
    return optimizer


def test_only_kernels_decay_by_the_default_rate(kata):
    # Every gradient is exactly 0 here (the model multiplies its output by 0 and the targets are
    # 0), so an Adam step moves nothing: whatever changes during fit() was weight decay. A
    # functional model with a nested, partly frozen block; weight_decay left at its default.
    model = architectures.adamw_model("functional", zero_gradient=True)
    frozen = model.get_layer("block").get_layer("block_frozen")
    learning_rate, steps = 0.5, N // BATCH_SIZE
    trained = {id(v) for v in model.trainable_weights}
    before = {id(v): np.array(v.numpy(), copy=True) for v in model.weights}
    optimizer = compiled(kata, model, learning_rate)
    x, y = data("zero")
    model.fit(x, y, batch_size=BATCH_SIZE, epochs=1, verbose=0)
    expect(int(optimizer.iterations.numpy()) == steps,
           f"fit() should have taken {steps} steps, but the optimizer took "
           f"{int(optimizer.iterations.numpy())}")

    # What AdamW does to a weight whose gradient is 0: w <- w - learning_rate * decay * w, once
    # per step, in float32; computed here in numpy (the same math two ways, see checks.agree).
    rate = np.float32(learning_rate) * np.float32(0.004)
    factor = 1.0 - learning_rate * 0.004
    for name, layer, variable in variables_by_role(model):
        short = variable.path.rsplit("/", 1)[-1]
        old, now = before[id(variable)], variable.numpy()
        if layer is frozen:
            expect(np.array_equal(now, old),
                   f"layer '{name}' is frozen and should stay bit-identical, but its {short} "
                   f"moved by {np.abs(now - old).max():.1e} during fit(). Leave the trainable "
                   f"flags as they are: the optimizer never decays a frozen variable")
            continue
        if id(variable) not in trained:
            continue  # BatchNormalization's moving statistics follow the data, not the optimizer
        if should_be_excluded(layer, variable):
            what = "every bias" if short == "bias" else (
                "the gamma and beta of every LayerNormalization and BatchNormalization layer")
            where = " (nested models included)" if "/" in name else ""
            expect(np.array_equal(now, old),
                   f"the {short} of layer '{name}' was decayed: every gradient is 0 in this model, "
                   f"so only weight decay can have moved it, by up to {np.abs(now - old).max():.1e}. "
                   f"Exclude {what}{where} from weight decay")
            continue
        expected = old
        for _ in range(steps):
            expected = expected - expected * rate
        if np.array_equal(now, old):
            word = next((w for w in ("bias", "gamma", "beta") if w in variable.path), None)
            why = (f". Its path, '{variable.path}', contains '{word}', and so does its "
                   f"TensorFlow name, '{variable.path}:0', in which var_names are searched: "
                   f"pick the variables by their short name (variable.name) or their layer, "
                   f"and exclude them with var_list" if word else "")
            expect(False,
                   f"the {short} of layer '{name}' was not decayed: every {short} that fit() "
                   f"trains should shrink by a factor {factor:g} per step (1 - learning_rate x "
                   f"weight_decay), whatever its layer is called. Exclude only the biases and "
                   f"the normalization layers' gamma and beta{why}")
        if not agree(now, expected):
            per_step = float(np.median((now / old) ** (1.0 / steps)))
            expect(False,
                   f"the {short} of layer '{name}' shrank by a factor of about {per_step:.5f} per "
                   f"step; with learning_rate={learning_rate} and AdamW's default weight_decay "
                   f"0.004 it should shrink by 1 - {learning_rate} x 0.004 = {factor:g} per step. "
                   f"Pass learning_rate and weight_decay (default 0.004) to AdamW")


def test_excluded_variables_still_train_and_frozen_layers_stay_put(kata):
    # Real gradients: everything that is trainable learns, the excluded variables included; a
    # Sequential model whose nested block has a frozen layer.
    model = architectures.adamw_model("sequential")
    frozen = model.get_layer("block").get_layer("block_frozen")
    should_move = [layer for layer in leaf_layers(model) if layer.weights and layer is not frozen]
    x, y = data()
    before = snapshot(model)
    optimizer = compiled(kata, model, 1e-2, weight_decay=0.1)
    rate = float(np.asarray(keras.ops.convert_to_numpy(optimizer.learning_rate)))
    expect(same_float32(rate, 1e-2),
           f"compile_with_adamw(model, 0.01, weight_decay=0.1) should use learning_rate 0.01, but "
           f"its AdamW has learning_rate {rate:.6g}")
    decay = optimizer.weight_decay
    expect(decay is not None and same_float32(decay, 0.1),
           f"compile_with_adamw(model, 0.01, weight_decay=0.1) should give AdamW "
           f"weight_decay=0.1, but its weight_decay is {decay}")
    y_pred = model(x[:BATCH_SIZE])
    got = float(keras.ops.convert_to_numpy(model.compute_loss(x=x[:BATCH_SIZE], y=y[:BATCH_SIZE],
                                                              y_pred=y_pred)))
    want = float(np.mean((keras.ops.convert_to_numpy(y_pred) - y[:BATCH_SIZE]) ** 2))
    expect(agree(got, want),
           f"compile the model with loss=\"mse\": its loss on a batch is {got:.4f} where the mean "
           f"squared error is {want:.4f}")

    model.fit(x, y, batch_size=BATCH_SIZE, epochs=1, verbose=0)

    expect_moved_exactly(before, should_move=should_move, during="fit() after compile_with_adamw()")
    changes = before.changes()
    for name, layer, variable in variables_by_role(model):
        short = variable.path.rsplit("/", 1)[-1]
        if should_be_excluded(layer, variable) and layer is not frozen:
            expect(changes[id(variable)] != 0.0,
                   f"the {short} of layer '{name}' did not change during fit(): excluded from "
                   f"weight decay does not mean frozen. It must still train by its gradient; "
                   f"only the decay leaves it alone")
