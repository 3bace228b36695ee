"""Level 5's models: real architectures and models for parameter-efficient fine-tuning, built here
from seeded initial weights (no download, no shipped file: what the katas of level 5 teach is
which variables training may change, which a seeded model shows as well as a pretrained one).

Each builder re-seeds Keras first, so a test gets the same model whatever ran before it. Keras is
imported inside each builder: this module is imported by test files at collection time.
"""
from __future__ import annotations

SEED = 2024


# --- real architectures: MobileNetV2, a Transformer encoder block (katas 24 and 28) ---------------


# --- LoRA: low-rank adapters on Dense, EinsumDense and Embedding layers (katas 25-27) ---------------

LORA_VOCABULARY = 12  # token ids 0 .. 11
LORA_SEQUENCE = 5  # tokens per sample
LORA_WIDTH = 8  # embedding width, and the width of the encoder's features
LORA_TARGETS = ("tokens", "mix", "features")  # the encoder's Embedding, EinsumDense and Dense


def lora_encoder_classifier(sequential: bool = False, depth: int = 1):
    """A small token encoder under a new head, the usual place for LoRA adapters.

    Layers, in order: Embedding "tokens" (12 ids -> 8), EinsumDense "mix" (a two-head projection,
    kernel (8, 2, 4), bias (4,)), Reshape "merge_heads", LayerNormalization "norm",
    GlobalAveragePooling1D "pool", Dense "features" (8 -> 8, tanh); then the head: Dense
    "head_hidden" (8 -> 4, tanh) and Dense "head_out" (4 -> 1). Biases, gamma and beta start
    random (not zeros and ones), as in a pretrained model, so a weight left at its initial value
    shows.

    By default a functional model "classifier" whose encoder is a nested functional model
    "encoder" (tokens .. features); with `depth=2` the encoder is nested once more, in a
    functional model "backbone"; with `sequential=True`, one flat Sequential model "classifier"
    with the same layers, names and shapes. Built with seeded weights; no LoRA.
    """
    import keras
    from keras import layers

    keras.utils.set_random_seed(SEED)
    random = {"bias_initializer": keras.initializers.RandomNormal(stddev=0.1)}

    def encoder_layers():
        return [layers.Embedding(LORA_VOCABULARY, LORA_WIDTH, name="tokens"),
                layers.EinsumDense("abc,cde->abde", output_shape=(LORA_SEQUENCE, 2, 4),
                                   bias_axes="e", activation="tanh", name="mix", **random),
                layers.Reshape((LORA_SEQUENCE, LORA_WIDTH), name="merge_heads"),
                layers.LayerNormalization(
                    name="norm", beta_initializer=keras.initializers.RandomNormal(stddev=0.1),
                    gamma_initializer=keras.initializers.RandomNormal(mean=1.0, stddev=0.1)),
                layers.GlobalAveragePooling1D(name="pool"),
                layers.Dense(LORA_WIDTH, activation="tanh", name="features", **random)]

    def head_layers():
        return [layers.Dense(4, activation="tanh", name="head_hidden", **random),
                layers.Dense(1, name="head_out", **random)]

    def functional(name, body):
        inputs = outputs = keras.Input((LORA_SEQUENCE,), dtype="int32",
                                       name="token_ids" if name == "classifier" else None)
        for layer in body:
            outputs = layer(outputs)
        return keras.Model(inputs, outputs, name=name)

    if sequential:
        model = keras.Sequential([keras.Input((LORA_SEQUENCE,), dtype="int32"), *encoder_layers(),
                                  *head_layers()], name="classifier")
    else:
        encoder = functional("encoder", encoder_layers())
        if depth == 2:
            encoder = functional("backbone", [encoder])
        model = functional("classifier", [encoder, *head_layers()])
    keras.utils.set_random_seed(SEED + 1)
    return model


def lora_data(n: int = 64, seed: int = 0):
    """Token ids (n, 5) in 0 .. 11 and a regression target (n, 1) that depends on them."""
    import numpy as np

    rng = np.random.default_rng(seed)
    tokens = rng.integers(0, LORA_VOCABULARY, size=(n, LORA_SEQUENCE)).astype("int32")
    values = rng.normal(size=LORA_VOCABULARY).astype("float32")
    return tokens, np.tanh(values[tokens].mean(axis=1, keepdims=True)).astype("float32")


def every_layer(model) -> list:
    """The layers of `model` and of every model nested in it, at any depth, parents first."""
    import keras

    found = []
    for layer in model.layers:
        found.append(layer)
        if isinstance(layer, keras.Model):
            found.extend(every_layer(layer))
    return found


def find_layer(model, name: str):
    """The layer called `name` in `model` or in a model nested in it (KeyError when none)."""
    for layer in every_layer(model):
        if layer.name == name:
            return layer
    raise KeyError(name)


def lora_factors(layer) -> list:
    """A LoRA layer's two factors, A then B (lora_kernel_a/b, or lora_embeddings_a/b)."""
    return [v for v in layer.weights if v.name.startswith("lora_")]


def pretrained_table(layer):
    """The variable that LoRA adapts: the layer's "kernel", or an Embedding's "embeddings".

    Not `layer.kernel`: once LoRA is enabled, that property returns a tensor, the kernel plus
    (lora_alpha / lora_rank) * A @ B, not the variable.
    """
    return next(v for v in layer.weights if v.name in ("kernel", "embeddings"))


def with_lora(model, adapters: dict, seed: int = 7):
    """Enable LoRA on the named layers (`adapters`: name -> (rank, lora_alpha)), at any depth, and
    give every factor seeded random values, B included (enable_lora starts B at zero): the model
    then computes with adapters as if they had been trained. Trainable flags are left as they are.
    Returns `model`.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    for name, (rank, alpha) in adapters.items():
        layer = find_layer(model, name)
        layer.enable_lora(rank, lora_alpha=alpha)
        for factor in lora_factors(layer):
            factor.assign(rng.normal(scale=0.5, size=factor.shape).astype("float32"))
    return model



# --- optimizers and embeddings: AdamW, optimizer state, a growing vocabulary (katas 29-31) ----------
