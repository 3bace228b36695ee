"""Kata 27: merge LoRA adapters into plain layers for export."""

import keras
import numpy as np

from dojo import architectures
from dojo.architectures import every_layer, lora_factors, pretrained_table
from dojo.checks import agree, expect, snapshot
from dojo.plugin import call_learner

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k27_merge_lora_for_export/ that break only it.
REQUIREMENTS = {
    "return a new model and leave `model` untouched (LoRA enabled, every weight unchanged)": (
        "test_the_merged_model_predicts_what_the_lora_model_predicts",
        ["merges_in_place_first", "returns_the_model_when_it_has_no_lora"]),
    "the same layers (classes, names, nesting), functional or Sequential as `model`": (
        "test_the_merged_model_predicts_what_the_lora_model_predicts",
        ["assumes_a_functional_model"]),
    "no LoRA left, also after a .keras save and reload": (
        "test_the_merged_model_reloads_from_a_keras_file_without_lora",
        ["saves_and_reloads", "rebuilds_from_the_config_with_lora",
         "clones_without_recursing_into_nested_models"]),
    "each LoRA layer's kernel (embeddings) is W + (lora_alpha / lora_rank) * A @ B": (
        "test_the_merged_model_predicts_what_the_lora_model_predicts",
        ["forgets_the_scale", "inverts_the_scale", "merges_kernels_not_embeddings"]),
    "every other weight is the model's, unchanged": (
        "test_the_merged_model_predicts_what_the_lora_model_predicts",
        ["copies_only_the_lora_layers", "merges_the_kernels_and_forgets_the_biases"]),
}

# name -> (rank, lora_alpha): scales 0.5, 3, 1 and 3, so a forgotten or inverted scale shows.
ADAPTERS = {"tokens": (2, 1), "mix": (2, 6), "features": (4, 4), "head_hidden": (1, 3)}


def lora_model(sequential=False):
    """The encoder classifier with LoRA on four layers (an Embedding, an EinsumDense, two Dense),
    each with its own rank and lora_alpha, and random factors, as after training: one flat
    Sequential model, or a functional model whose encoder is two models deep."""
    model = architectures.lora_encoder_classifier(sequential, depth=2)
    return architectures.with_lora(model, ADAPTERS)


def kind(model):
    return ("a Sequential model: its config is a Sequential's, which keras.Model.from_config "
            "does not take (type(model).from_config does)"
            if isinstance(model, keras.Sequential) else
            "a functional model, with a functional model 'encoder' in a functional model "
            "'backbone' in it")


def call(kata, model):
    merged = call_learner(kata, "merge_lora", model, shown="merge_lora(model)",
                          note=f"The model here is {kind(model)}")
    expect(isinstance(merged, keras.Model),
           f"merge_lora must return a keras.Model, got {merged!r}")
    return merged


def expect_no_lora(model, what):
    left = [f"{layer.name}/{v.name}" for layer in every_layer(model) for v in layer.weights
            if v.name.startswith("lora_") and not isinstance(layer, keras.Model)]
    enabled = [layer.name for layer in every_layer(model) if getattr(layer, "lora_enabled", False)]
    expect(not left and not enabled,
           f"{what} still has LoRA: {', '.join(enabled)} have lora_enabled True and the "
           f"variables {left} are LoRA factors. A layer whose config has lora_rank is rebuilt "
           f"with LoRA enabled (by from_config, clone_model or load_model): remove lora_rank and "
           f"lora_alpha from the config of every layer, nested models included")


def merged_table(layer):
    """W + (lora_alpha / lora_rank) * A @ B, worked out here with NumPy from the variables."""
    a, b = (np.asarray(v.numpy()) for v in lora_factors(layer))
    w = np.asarray(pretrained_table(layer).numpy())
    return w + (layer.lora_alpha / layer.lora_rank) * (a @ b)


def check_merged(kata, model, adapters=ADAPTERS):
    x, _ = architectures.lora_data(16, seed=9)
    expected = np.asarray(model(x))
    before = snapshot(model)
    merged = call(kata, model)
    expect(merged is not model and not {id(v) for v in merged.weights} & {id(v) for v in
                                                                          model.weights},
           "merge_lora should return a new model with variables of its own (also when no layer "
           "has LoRA: a copy), and leave the model it was given as it is")
    lora_layers = [architectures.find_layer(model, name) for name in adapters]
    expect(all(layer.lora_enabled for layer in lora_layers) and before.unchanged(),
           "merge_lora changed the model it was given: leave it untouched, its LoRA enabled and "
           "every weight (W, the factors, the biases) as it was. Compute the merged kernels "
           "into the new model only")
    expect(isinstance(merged, keras.Sequential) == isinstance(model, keras.Sequential),
           f"model is {kind(model)}, and the merged model should be too, but it is a "
           f"{type(merged).__name__}")
    rebuilt = {layer.name: layer for layer in every_layer(merged)}
    for layer in every_layer(model):
        if isinstance(layer, keras.layers.InputLayer):
            continue  # an input layer's name does not matter (clone_model may rename it)
        twin = rebuilt.get(layer.name)
        expect(twin is not None and type(twin) is type(layer),
               f"the merged model should have the same layers as the model, with the same names "
               f"(nested models kept), but layer '{layer.name}' ({type(layer).__name__}) is "
               f"{'missing' if twin is None else 'a ' + type(twin).__name__} in it")
    expect_no_lora(merged, "the merged model")
    for layer in lora_layers:
        table = pretrained_table(rebuilt[layer.name])
        want = merged_table(layer)
        scale = layer.lora_alpha / layer.lora_rank
        expect(agree(table.numpy(), want),
               f"layer '{layer.name}' had LoRA of rank {layer.lora_rank} with lora_alpha "
               f"{layer.lora_alpha}: its merged {table.name} should be W + ({layer.lora_alpha} / "
               f"{layer.lora_rank}) * A @ B = W + {scale:g} * A @ B, but it differs from that by "
               f"up to {np.abs(table.numpy() - want).max():.2g}")
    merged_away = {id(pretrained_table(layer)) for layer in lora_layers}
    for layer in every_layer(model):
        if isinstance(layer, keras.Model):
            continue  # its layers are checked one by one
        source = [v for v in layer.weights
                  if not v.name.startswith("lora_") and id(v) not in merged_away]
        for v in source:
            twin = next((t for t in rebuilt[layer.name].weights if t.name == v.name), None)
            expect(twin is not None and np.array_equal(twin.numpy(), v.numpy()),
                   f"the merged model's layer '{layer.name}' should have the model's {v.name}, "
                   f"unchanged, but it {'lacks it' if twin is None else 'has other values'}: "
                   f"copy every weight that LoRA does not change, in every layer")
    got = np.asarray(merged(x))
    expect(agree(got, expected),
           f"the merged model should predict what the LoRA model predicts, but its predictions "
           f"differ by up to {np.abs(got - expected).max():.2g}")
    return merged, expected, x


def test_the_merged_model_predicts_what_the_lora_model_predicts(kata):
    check_merged(kata, lora_model())
    # A Sequential model, frozen as a whole: which weights are trainable does not matter here.
    model = lora_model(sequential=True)
    model.trainable = False
    check_merged(kata, model)
    # The edge case: no layer has LoRA. The merged model is still a new model.
    check_merged(kata, architectures.lora_encoder_classifier(), adapters={})


def test_the_merged_model_reloads_from_a_keras_file_without_lora(kata, tmp_path):
    model = lora_model()
    x, _ = architectures.lora_data(16, seed=9)
    expected = np.asarray(model(x))
    merged = call(kata, model)
    expect_no_lora(merged, "the merged model")
    path = tmp_path / "merged.keras"
    merged.save(path)
    reloaded = keras.saving.load_model(path)
    expect_no_lora(reloaded, "the merged model, saved to a .keras file and loaded back,")
    got = np.asarray(reloaded(x))
    expect(agree(got, expected),
           f"the merged model, saved to a .keras file and loaded back, should predict what the "
           f"LoRA model predicts, but its predictions differ by up to "
           f"{np.abs(got - expected).max():.2g}")
