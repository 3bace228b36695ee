"""Kata 26: debug the LoRA toggle trap (unfreeze a new head, not the frozen kernels)."""

import keras

from dojo import architectures, zoo
from dojo.architectures import LORA_TARGETS, lora_factors, pretrained_table
from dojo.checks import KataFailure, freeze_map, qualified_names, snapshot
from dojo.plugin import call_learner

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k26_lora_toggle_trap/ that break only it.
REQUIREMENTS = {
    "every weight of the head trains, a head layer frozen by its variables only included": (
        "test_a_model_as_add_lora_left_it", ["unfreezes_the_head_by_layer_flags"]),
    "the LoRA factors keep training": (
        "test_a_model_as_add_lora_left_it", ["freezes_every_layer_outside_the_head"]),
    "the kernels and embeddings of the LoRA layers stay frozen": (
        "test_a_model_frozen_as_a_whole",
        ["trusts_enable_lora_after_unfreezing_the_model", "unfreezes_the_lora_layers_by_flag",
         "refreezes_the_variables_named_kernel"]),
    "the biases of the LoRA layers stay frozen": (
        "test_a_model_as_add_lora_left_it", ["refreezes_the_kernels_only"]),
    "every other layer stays frozen": (
        "test_a_model_as_add_lora_left_it", ["refreezes_the_lora_layers_only"]),
    "only the layers named in head_names train, not every layer outside the base": (
        "test_a_model_frozen_as_a_whole", ["unfreezes_every_layer_outside_the_nested_models"]),
    "a model frozen as a whole is unfrozen": (
        "test_a_model_frozen_as_a_whole", ["never_unfreezes_the_model"]),
}

def as_add_lora_left_it(model):
    """LoRA of rank 2 on tokens, mix and features; then only the factors trainable, frozen both
    ways kata 25 allows: norm and head_hidden by their layer flag, every other layer (head_out
    included) by its variables' own flags, its layer flag left True."""
    for layer in architectures.every_layer(model):
        if layer.name in LORA_TARGETS:
            layer.enable_lora(2)
        for variable in layer.weights:
            variable.trainable = variable.name.startswith("lora_")
    for layer in architectures.every_layer(model):
        if layer.name in ("norm", "head_hidden"):
            layer.trainable = False
    return model


def call(kata, model, head_names):
    return call_learner(kata, "unfreeze_head", model, head_names,
                        shown=f"unfreeze_head(model, {head_names})")


def fit_and_check(kata, model, head_names):
    """unfreeze_head, then one real fit (graph mode, SGD, four steps: a LoRA factor B moves at the
    first, A from the second); then the head and the factors moved, and nothing else."""
    call(kata, model, head_names)
    x, y = architectures.lora_data(64, seed=5)
    before = snapshot(model)
    zoo.compile_ready_to_fit(model, keras.optimizers.SGD(0.1), "mse")
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    changes = before.changes()
    names = qualified_names(model)
    listed = [v.path for v in model.trainable_weights]

    def fail(problem):
        raise KataFailure(f"{problem}\n\nfit() trained model.trainable_weights: {listed}\n\n"
                          f"{freeze_map(before)}")

    lora_layers = [architectures.find_layer(model, name) for name in LORA_TARGETS]
    head = [model.get_layer(name) for name in head_names]
    if not model.trainable:
        fail("model.trainable is still False after unfreeze_head, so fit() trained nothing: a "
             "frozen model trains none of its variables, whatever their own flags. Unfreeze the "
             "model itself")
    for layer in head:
        still = [v for v in layer.weights if changes[id(v)] == 0.0]
        if still:
            why = (" Its flag is True and its variables are frozen one by one: assigning a flag "
                   "the value it already has does nothing (on the TensorFlow backend), and fit() "
                   "trains the variables whose own flag is True"
                   if layer.trainable and not any(v.trainable for v in still) else "")
            fail(f"the head layer '{names[id(layer)]}' should train, but its "
                 f"{' and '.join(v.name for v in still)} did not move during fit().{why}")
    for layer in lora_layers:
        still = [v.name for v in lora_factors(layer) if changes[id(v)] == 0.0]
        if still:
            fail(f"layer '{names[id(layer)]}' has LoRA, and its factors should keep training, but "
                 f"{' and '.join(still)} did not move during fit(). Freezing the layer "
                 f"(layer.trainable = False) freezes its factors too")
    for layer in lora_layers:
        table = pretrained_table(layer)
        if changes[id(table)] != 0.0:
            fail(f"layer '{names[id(layer)]}' has LoRA: its pretrained {table.name} should stay "
                 f"bit-identical, but it moved by {changes[id(table)]:.1e} during fit(). "
                 f"enable_lora froze it by its variable's own flag, and assigning a new value to "
                 f"a layer's flag (the layer's, the model's, a nested model's) sets the flag of "
                 f"every variable of the layer, this one included")
    for layer in lora_layers:
        moved = [v.name for v in layer.weights if v.name == "bias" and changes[id(v)] != 0.0]
        if moved:
            fail(f"layer '{names[id(layer)]}' has LoRA, and only its factors should train, but "
                 f"its bias moved during fit(). The bias was frozen by its own flag too; "
                 f"unfreezing the layer unfroze it")
    moving = {id(layer) for layer in [*lora_layers, *head]}
    for state in before.states:
        if id(state.layer) not in moving and changes[id(state.variable)] != 0.0:
            fail(f"layer '{state.layer_name}' is neither in the head ({head_names}) nor a LoRA "
                 f"layer and should stay frozen, but its {state.short_name} moved by "
                 f"{changes[id(state.variable)]:.1e} during fit()")


def test_a_model_as_add_lora_left_it(kata):
    model = as_add_lora_left_it(architectures.lora_encoder_classifier(sequential=True))
    fit_and_check(kata, model, ["head_hidden", "head_out"])


def test_a_model_frozen_as_a_whole(kata):
    # The LoRA layers two models deep (classifier > backbone > encoder); a head of one layer:
    # head_hidden, a layer of the model too, is not in it and stays frozen.
    model = as_add_lora_left_it(architectures.lora_encoder_classifier(depth=2))
    model.trainable = False
    fit_and_check(kata, model, ["head_out"])
