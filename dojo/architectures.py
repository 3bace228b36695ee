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


# --- optimizers and embeddings: AdamW, optimizer state, a growing vocabulary (katas 29-31) ----------


def adamw_model(kind: str = "functional", zero_gradient: bool = False):
    """Kata 29: Input(6) -> Dense 'debias' (tanh: a layer whose name contains "bias"; its kernel
    is a kernel) -> BatchNormalization 'bn' -> a nested Sequential 'block' [Dense 'block_dense'
    (tanh), LayerNormalization 'block_norm', Dense 'block_frozen' (tanh, frozen)] ->
    LayerNormalization 'norm' -> Dense 'out' (1 unit), as a functional or a Sequential model.

    With `zero_gradient`, a last Rescaling(0.0) 'times_zero' multiplies the output by 0: with
    targets 0, every gradient is then exactly 0, and whatever a training step still changes was
    changed by weight decay. Every bias and beta starts away from 0, as after pretraining: decay
    leaves a 0 where it is, so a 0 would hide whether it is decayed."""
    import keras

    keras.utils.set_random_seed(SEED)
    layers = keras.layers
    offsets = {"bias_initializer": keras.initializers.RandomNormal(stddev=0.5)}
    norm = {"beta_initializer": keras.initializers.RandomNormal(stddev=0.5),
            "gamma_initializer": keras.initializers.RandomNormal(mean=1.0, stddev=0.2)}
    block = keras.Sequential([
        keras.Input((16,)),
        layers.Dense(8, activation="tanh", name="block_dense", **offsets),
        layers.LayerNormalization(name="block_norm", **norm),
        layers.Dense(8, activation="tanh", name="block_frozen", **offsets),
    ], name="block")
    block.get_layer("block_frozen").trainable = False
    stack = [
        layers.Dense(16, activation="tanh", name="debias", **offsets),
        layers.BatchNormalization(name="bn", **norm),
        block,
        layers.LayerNormalization(name="norm", **norm),
        layers.Dense(1, name="out", **offsets),
    ]
    if zero_gradient:
        stack.append(layers.Rescaling(0.0, name="times_zero"))
    if kind == "sequential":
        return keras.Sequential([keras.Input((6,)), *stack], name="model")
    inputs = keras.Input((6,))
    h = inputs
    for layer in stack:
        h = layer(h)
    return keras.Model(inputs, h, name="model")


def resumable_model(kind: str = "functional"):
    """Kata 30: Input(8) -> a nested Sequential 'base' [Dense 'base_dense_1', Dense 'base_dense_2']
    -> Dense 'neck' -> Dense 'head' (1 unit), tanh between them, as a functional or a Sequential
    model, every layer trainable."""
    import keras

    keras.utils.set_random_seed(SEED)
    layers = keras.layers
    base = keras.Sequential([
        keras.Input((8,)),
        layers.Dense(16, activation="tanh", name="base_dense_1"),
        layers.Dense(16, activation="tanh", name="base_dense_2"),
    ], name="base")
    stack = [base, layers.Dense(8, activation="tanh", name="neck"), layers.Dense(1, name="head")]
    if kind == "sequential":
        return keras.Sequential([keras.Input((8,)), *stack], name="model")
    inputs = keras.Input((8,))
    h = inputs
    for layer in stack:
        h = layer(h)
    return keras.Model(inputs, h, name="model")


def pretrained_embedding(vocabulary: int = 10, dim: int = 4, mask_zero: bool = False,
                         dtype: str = "float32"):
    """Kata 31: a built, trainable Embedding 'pretrained' of `vocabulary` rows of `dim` numbers,
    seeded normal values in `dtype` (float64 keeps digits a float32 copy would round away)."""
    import keras
    import numpy as np

    keras.utils.set_random_seed(SEED)
    rows = np.random.default_rng(SEED).normal(size=(vocabulary, dim)).astype(dtype)
    embedding = keras.layers.Embedding(vocabulary, dim, mask_zero=mask_zero, dtype=dtype,
                                       embeddings_initializer=keras.initializers.Constant(rows),
                                       name="pretrained")
    embedding.build((None,))
    return embedding


def bag_of_words(embedding, length: int = 5, kind: str = "functional"):
    """Kata 31: token ids (`length` per sample) -> `embedding` -> GlobalAveragePooling1D 'pool'
    (which skips the positions a mask_zero embedding masks) -> Dense 'out' (1 unit), as a
    functional or a Sequential model."""
    import keras

    keras.utils.set_random_seed(SEED)
    pool = keras.layers.GlobalAveragePooling1D(name="pool")
    out = keras.layers.Dense(1, name="out")
    if kind == "sequential":
        return keras.Sequential([keras.Input((length,), dtype="int32"), embedding, pool, out],
                                name="model")
    inputs = keras.Input((length,), dtype="int32")
    return keras.Model(inputs, out(pool(embedding(inputs))), name="model")
