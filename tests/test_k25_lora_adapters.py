"""Kata 25: LoRA, low-rank adapters on the named layers, their kernels frozen."""
import math
import numbers

import keras

from dojo import architectures, zoo
from dojo.architectures import find_layer, lora_factors, pretrained_table
from dojo.checks import KataFailure, expect, freeze_map, qualified_names, snapshot
from dojo.plugin import call_learner

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k25_lora_adapters/ that break only it.
REQUIREMENTS = {
    "enable LoRA of rank `rank` on every named layer, and on no other": (
        "test_a_sequential_model_frozen_as_a_whole_rank_one",
        ["hard_codes_rank_two", "enables_lora_on_every_layer_that_has_it"]),
    "lora_alpha left at its default, the rank": (
        "test_fit_trains_the_lora_factors_and_nothing_else", ["sets_lora_alpha_to_twice_the_rank"]),
    "names are looked up in nested models too, at any depth": (
        "test_fit_trains_the_lora_factors_and_nothing_else",
        ["searches_top_level_layers_only", "searches_one_level_deep"]),
    "every layer without LoRA is frozen": (
        "test_fit_trains_the_lora_factors_and_nothing_else", ["leaves_the_other_layers_trainable"]),
    "the biases of the LoRA layers are frozen": (
        "test_fit_trains_the_lora_factors_and_nothing_else", ["trains_the_lora_biases"]),
    "the LoRA layers' kernels (embeddings) stay frozen, even on a layer that arrived frozen": (
        "test_fit_trains_the_lora_factors_and_nothing_else", ["unfreezes_after_enabling_lora"]),
    "the factors of a layer that arrived frozen train": (
        "test_fit_trains_the_lora_factors_and_nothing_else",
        ["enables_lora_on_frozen_layers"]),
    "a model frozen as a whole trains its factors": (
        "test_a_sequential_model_frozen_as_a_whole_rank_one", ["ignores_the_model_flag"]),
    "return the number of scalars fit() trains, the factors' sizes": (
        "test_fit_trains_the_lora_factors_and_nothing_else",
        ["counts_the_lora_layers_parameters", "counts_trainable_variables"]),
    "an empty layer_names freezes the whole model and returns 0": (
        "test_no_names_freeze_the_whole_model_and_return_zero", ["returns_early_without_names"]),
    "a rank that is not an integer, or is below 1, raises ValueError": (
        "test_wrong_arguments_raise_value_error_and_change_nothing",
        ["accepts_rank_zero", "accepts_a_fractional_rank"]),
    "an unknown name, a layer without enable_lora or with LoRA already: ValueError": (
        "test_wrong_arguments_raise_value_error_and_change_nothing",
        ["skips_unknown_names", "lets_attribute_error_through", "skips_layers_with_lora"]),
    "check every argument before changing anything": (
        "test_wrong_arguments_raise_value_error_and_change_nothing",
        ["checks_each_name_while_enabling", "unfreezes_the_model_before_checking"]),
}


def call(kata, model, rank, names):
    """add_lora(model, rank, names), an unexpected error explained in model terms."""
    return call_learner(
        kata, "add_lora", model, rank, names, shown=f"add_lora(model, {rank}, {list(names)})",
        note="Every name is a Dense, EinsumDense or Embedding layer of the model or of a model "
             "nested in it (the layers of a nested model are not in model.layers: search them too)")


def factor_count(layers, rank):
    """What the statement says add_lora returns: the sizes of the factors, worked out from the
    kernel shapes (A: kernel.shape[:-1] + (rank,), B: (rank, kernel.shape[-1]))."""
    total = 0
    for layer in layers:
        shape = tuple(pretrained_table(layer).shape)
        total += rank * (math.prod(shape[:-1]) + shape[-1])
    return total


def expect_lora(model, targets, rank):
    names = qualified_names(model)
    for layer in targets:
        factors = lora_factors(layer)
        expect(getattr(layer, "lora_enabled", False) and len(factors) == 2,
               f"layer '{names[id(layer)]}' is named in layer_names but has no LoRA: call "
               f"enable_lora on it")
        got = factors[0].shape[-1]
        expect(got == rank,
               f"layer '{names[id(layer)]}' has LoRA of rank {got}, but add_lora was called with "
               f"rank={rank}: enable_lora(rank)")
        expect(layer.lora_alpha == rank,
               f"layer '{names[id(layer)]}' has lora_alpha={layer.lora_alpha}, so its adapter is "
               f"scaled by {layer.lora_alpha / rank:g}: leave lora_alpha at its default, the rank "
               f"(a scale of 1)")
    named = {id(layer) for layer in targets}
    for layer in architectures.every_layer(model):
        expect(id(layer) in named or not getattr(layer, "lora_enabled", False),
               f"layer '{names.get(id(layer), layer.name)}' has LoRA, but it is not named in "
               f"layer_names: enable LoRA on the named layers only")


def fit_and_expect_only_the_factors_moved(model, targets):
    """One real fit (graph mode, SGD, four steps: B moves at the first, A from the second); then
    every factor of `targets` moved and every other variable of the model is bit-identical."""
    x, y = architectures.lora_data(64, seed=3)
    before = snapshot(model)
    zoo.compile_ready_to_fit(model, keras.optimizers.SGD(0.1), "mse")
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    changes = before.changes()
    names = qualified_names(model)

    def fail(problem):
        raise KataFailure(f"{problem}\n\n{freeze_map(before)}")

    for layer in targets:
        frozen = [v.name for v in lora_factors(layer) if changes[id(v)] == 0.0]
        if frozen:
            fail(f"the LoRA factors of layer '{names[id(layer)]}' should train, but "
                 f"{' and '.join(frozen)} did not move during fit(). This layer arrived frozen "
                 f"(on its own, inside a frozen nested model, or with the whole model). fit() "
                 f"trains the variables whose own trainable flag is True, and only if the model's "
                 f"own flag is True; on a frozen layer enable_lora creates the factors with their "
                 f"flag False. Unfreeze the model, and the layer before enabling LoRA on it")
    for layer in targets:
        table = pretrained_table(layer)
        if changes[id(table)] != 0.0:
            fail(f"layer '{names[id(layer)]}' has LoRA: its {table.name} should stay "
                 f"bit-identical (only the factors train), but it moved by "
                 f"{changes[id(table)]:.1e} during fit(). Setting layer.trainable = True after "
                 f"enable_lora sets every variable of the layer trainable, the {table.name} too: "
                 f"unfreeze the layer before enabling LoRA, or set each variable's own flag")
    for layer in targets:
        moved = [v.name for v in layer.weights
                 if not v.name.startswith("lora_") and v is not pretrained_table(layer)
                 and changes[id(v)] != 0.0]
        if moved:
            fail(f"layer '{names[id(layer)]}' has LoRA, and only its factors should train, but "
                 f"its {', '.join(moved)} moved during fit(). enable_lora freezes the "
                 f"{pretrained_table(layer).name} only: freeze the bias yourself "
                 f"(variable.trainable = False)")
    named = {id(layer) for layer in targets}
    for state in before.states:
        if id(state.layer) not in named and changes[id(state.variable)] != 0.0:
            fail(f"layer '{state.layer_name}' has no LoRA and should be frozen, but its "
                 f"{state.short_name} moved by {changes[id(state.variable)]:.1e} during fit(). "
                 f"enable_lora freezes nothing outside the layer: freeze every other layer")


def expect_count(result, targets, rank, shown):
    expected = factor_count(targets, rank)
    parts = " + ".join(f"{rank}*({math.prod(pretrained_table(t).shape[:-1])}+"
                       f"{pretrained_table(t).shape[-1]})" for t in targets) or "nothing"
    expect(isinstance(result, numbers.Integral) and not isinstance(result, bool)
           and result == expected,
           f"{shown} should return the number of scalars fit() now trains, the sizes of the LoRA "
           f"factors: {parts} = {expected}, but it returned {result!r}")


def test_fit_trains_the_lora_factors_and_nothing_else(kata):
    # Named layers arrive frozen in both ways: tokens, mix and features two models deep, in an
    # encoder frozen as a whole inside a backbone; head_hidden on its own. head_out (no LoRA)
    # arrives trainable.
    model = architectures.lora_encoder_classifier(depth=2)
    find_layer(model, "encoder").trainable = False
    model.get_layer("head_hidden").trainable = False
    names = "tokens mix features head_hidden".split()  # made at run time, as if read from a file
    shown = f"add_lora(model, 2, {names})"
    result = call(kata, model, 2, names)
    targets = [find_layer(model, name) for name in names]
    expect_lora(model, targets, 2)
    fit_and_expect_only_the_factors_moved(model, targets)
    expect_count(result, targets, 2, shown)


def test_a_sequential_model_frozen_as_a_whole_rank_one(kata):
    model = architectures.lora_encoder_classifier(sequential=True)
    model.trainable = False
    names = ["mix", "head_out"]
    result = call(kata, model, 1, names)
    targets = [model.get_layer(name) for name in names]
    expect_lora(model, targets, 1)
    fit_and_expect_only_the_factors_moved(model, targets)
    expect_count(result, targets, 1, f"add_lora(model, 1, {names})")


def test_no_names_freeze_the_whole_model_and_return_zero(kata):
    model = architectures.lora_encoder_classifier()
    result = call(kata, model, 2, [])
    trained = [v.path for v in model.trainable_weights]
    expect(not trained,
           f"add_lora(model, 2, []) adds no adapter, and nothing else of the model should train: "
           f"the whole model frozen. But fit() would still train {trained}")
    expect_count(result, [], 2, "add_lora(model, 2, [])")


def expect_value_error(kata, model, rank, names, why):
    """add_lora(model, rank, names) must raise ValueError and leave the model as it was."""
    shown = f"add_lora(model, {rank}, {names})"
    trainable = [id(v) for v in model.trainable_weights]
    flags = [v.trainable for v in model.weights]
    with_lora = [layer.name for layer in architectures.every_layer(model)
                 if getattr(layer, "lora_enabled", False)]
    try:
        kata.add_lora(model, rank, names)
    except ValueError:
        pass
    except Exception as error:
        raise KataFailure(f"{shown} should raise ValueError ({why}), but it raised "
                          f"{type(error).__name__}: {str(error).strip().splitlines()[0]}") from None
    else:
        raise KataFailure(f"{shown} should raise ValueError ({why}), but it returned normally")
    now = [layer.name for layer in architectures.every_layer(model)
           if getattr(layer, "lora_enabled", False)]
    added = [name for name in now if name not in with_lora]
    changed = [v.path for v, flag in zip(model.weights, flags) if v.trainable != flag]
    what = (f"LoRA is now enabled on {added}" if added else
            f"the trainable flags of {changed[:3] + ['...'] * (len(changed) > 3)} changed"
            if changed else
            "what fit() would train changed")
    expect(not added and not changed and [id(v) for v in model.trainable_weights] == trainable,
           f"{shown} raised ValueError ({why}), but only after changing the model: {what}. "
           f"enable_lora cannot be undone: check every argument before changing anything")


def test_wrong_arguments_raise_value_error_and_change_nothing(kata):
    # One model for every case, frozen as a whole: each case checks that it is left unchanged.
    model = architectures.lora_encoder_classifier()
    model.trainable = False
    for rank in (0, -1, 1.5):
        expect_value_error(kata, model, rank, ["features"], "a LoRA rank is an integer, at least 1")
    expect_value_error(kata, model, 2, ["features", "classifier_dense"],
                       "no layer is named 'classifier_dense'")
    expect_value_error(kata, model, 2, ["features", "norm"],
                       "'norm' is a LayerNormalization, which has no enable_lora")
    expect_value_error(kata, model, 2, ["features", "encoder"],
                       "'encoder' is a nested model, which has no enable_lora")
    find_layer(model, "mix").enable_lora(2)
    expect_value_error(kata, model, 2, ["features", "mix"], "'mix' already has LoRA enabled")
