"""Level 5's models: real architectures and models for parameter-efficient fine-tuning, built here
from seeded initial weights (no download, no shipped file: what the katas of level 5 teach is
which variables training may change, which a seeded model shows as well as a pretrained one).

Each builder re-seeds Keras first, so a test gets the same model whatever ran before it. Keras is
imported inside each builder: this module is imported by test files at collection time.
"""
from __future__ import annotations

SEED = 2024


# --- real architectures: MobileNetV2, a Transformer encoder block (katas 24 and 28) ---------------

MOBILENET_SHAPE = (32, 32, 3)
MOBILENET_ALPHA = 0.35
SEQUENCE_SHAPE = (4, 8)  # a Transformer block's input: 4 positions, each a vector of 8
ATTENTION_HEADS, ATTENTION_KEY_DIM, FEED_FORWARD_UNITS = 2, 4, 16
# Parameters of one such MultiHeadAttention: query, key and value kernels (8, 2, 4) and biases
# (2, 4), the output kernel (2, 4, 8) and bias (8,): 4 x 72.
ATTENTION_PARAMETERS = 288


def mobilenet_v2():
    """`keras.applications.MobileNetV2` with alpha 0.35 on 32x32x3 images and no classifier
    (154 layers), its weights seeded here (`weights=None`: nothing is downloaded) and its
    BatchNormalization statistics set from one batch of `images()` (`_calibrate_batchnorm`).

    Building one takes 0.3 s on two cores (0.6 s the first time in a process); restoring its
    weights with set_weights takes 0.03 s, so a test file that needs it in several tests builds
    one per process and restores it (tests/test_k24_unfreeze_top_blocks_of_mobilenet.py).
    """
    import keras

    keras.utils.set_random_seed(SEED)
    model = keras.applications.MobileNetV2(input_shape=MOBILENET_SHAPE, alpha=MOBILENET_ALPHA,
                                           include_top=False, weights=None)
    _calibrate_batchnorm(model, images(8, seed=SEED))
    keras.utils.set_random_seed(SEED + 1)
    return model


def _calibrate_batchnorm(model, x) -> None:
    """Give every BatchNormalization layer the mean and variance of its inputs on `x`, as
    pretraining would have. Freshly built, their moving statistics are 0 and 1: in inference mode
    (a frozen BatchNormalization layer) they then normalise nothing, the signal fades layer after
    layer (MobileNetV2's features come out around 1e-11) and one training step cannot move the top
    blocks' weights. One call in training mode with momentum 0 sets each layer's statistics to
    those of its batch (0.1 s)."""
    import keras

    norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    momenta = [layer.momentum for layer in norms]
    for layer in norms:
        layer.momentum = 0.0
    model(x, training=True)
    for layer, momentum in zip(norms, momenta):
        layer.momentum = momentum


def cnn_with_head(base, units: int = 1, name: str = "classifier"):
    """A new head on a CNN base, in the manner of the keras.io transfer-learning guide:
    Input -> base(inputs, training=False) -> GlobalAveragePooling2D "pool" -> Dense "head"."""
    import keras

    inputs = keras.Input(base.input_shape[1:])
    features = base(inputs, training=False)
    pooled = keras.layers.GlobalAveragePooling2D(name="pool")(features)
    return keras.Model(inputs, keras.layers.Dense(units, name="head")(pooled), name=name)


def images(n: int = 4, seed: int = 0):
    """Random images in [-1, 1], the range MobileNetV2 takes."""
    import numpy as np

    return np.random.default_rng(seed).uniform(-1, 1, (n, *MOBILENET_SHAPE)).astype("float32")


def sequences(n: int = 16, seed: int = 0):
    """Random sequences of SEQUENCE_SHAPE and one target per sequence, a function of them."""
    import numpy as np

    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, *SEQUENCE_SHAPE)).astype("float32")
    return x, np.tanh(x.mean(axis=1) @ rng.normal(size=(SEQUENCE_SHAPE[1], 1))).astype("float32")


def train_one_step(model, x, y=None, learning_rate: float = 0.1) -> float:
    """One training step as fit() takes it, run eagerly: the model called with training=True, the
    mean squared error against `y` (zeros when None), the gradients of
    `model.trainable_variables` applied by a new SGD optimizer. Returns the loss before the step.

    Eager because a traced fit() costs 12-19 s on MobileNetV2 and 0.7-0.9 s on the encoder
    blocks below, this step 0.15-0.25 s and 0.03-0.1 s. tests/kit/test_facts_k24_k28.py checks
    that one fit() step with SGD gives the same weights, up to float32 round-off.
    """
    import keras
    import tensorflow as tf

    with tf.GradientTape() as tape:
        prediction = model(x, training=True)
        target = keras.ops.zeros_like(prediction) if y is None else y
        loss = keras.ops.mean(keras.ops.square(prediction - target))
    variables = model.trainable_variables
    gradients = tape.gradient(loss, variables)
    keras.optimizers.SGD(learning_rate).apply_gradients(zip(gradients, variables))
    return float(loss)


def _block_layers(prefix: str, dropout: float) -> dict:
    """The layers of one encoder block, named f"{prefix}attention", f"{prefix}norm_1", ..."""
    import keras

    layers = keras.layers
    return {
        "attention": layers.MultiHeadAttention(ATTENTION_HEADS, ATTENTION_KEY_DIM, dropout=dropout,
                                               name=f"{prefix}attention"),
        "norm_1": layers.LayerNormalization(name=f"{prefix}norm_1"),
        "ffn_1": layers.Dense(FEED_FORWARD_UNITS, activation="relu", name=f"{prefix}ffn_1"),
        "ffn_2": layers.Dense(SEQUENCE_SHAPE[1], name=f"{prefix}ffn_2"),
        "norm_2": layers.LayerNormalization(name=f"{prefix}norm_2"),
    }


def encoder_block(x, prefix: str = "", dropout: float = 0.0):
    """One post-norm Transformer encoder block, applied with the functional API:
    x + attention(x, x) -> norm_1 -> h; h + ffn_2(ffn_1(h)) -> norm_2."""
    import keras

    block = _block_layers(prefix, dropout)
    h = block["norm_1"](keras.layers.Add(name=f"{prefix}add_1")([x, block["attention"](x, x)]))
    f = block["ffn_2"](block["ffn_1"](h))
    return block["norm_2"](keras.layers.Add(name=f"{prefix}add_2")([h, f]))


def encoder_model(blocks: int = 1, dropout: float = 0.0, name: str = "encoder_model"):
    """A functional model: Input -> `blocks` encoder blocks (layers "block1_attention",
    "block1_norm_1", "block1_ffn_1", "block1_ffn_2", "block1_norm_2", ...) -> GlobalAveragePooling1D
    -> Dense "head". Every layer is an entry of model.layers."""
    import keras

    keras.utils.set_random_seed(SEED)
    inputs = keras.Input(SEQUENCE_SHAPE)
    h = inputs
    for b in range(1, blocks + 1):
        h = encoder_block(h, prefix=f"block{b}_", dropout=dropout)
    pooled = keras.layers.GlobalAveragePooling1D(name="pool")(h)
    return keras.Model(inputs, keras.layers.Dense(1, name="head")(pooled), name=name)


def nested_encoder_model(dropout: float = 0.0):
    """The encoder as a model of its own ("encoder": one block, layers "block1_...") nested in a
    classifier: Input -> encoder -> GlobalAveragePooling1D -> Dense "head"."""
    import keras

    keras.utils.set_random_seed(SEED)
    inputs = keras.Input(SEQUENCE_SHAPE)
    encoder = keras.Model(inputs, encoder_block(inputs, prefix="block1_", dropout=dropout),
                          name="encoder")
    outer_inputs = keras.Input(SEQUENCE_SHAPE)
    pooled = keras.layers.GlobalAveragePooling1D(name="pool")(encoder(outer_inputs))
    return keras.Model(outer_inputs, keras.layers.Dense(1, name="head")(pooled),
                       name="classifier")


_ENCODER_BLOCK_CLASS = None


def encoder_block_class():
    """`EncoderBlock`, the same block subclassed from keras.layers.Layer: it keeps its layers as
    attributes (`attention`, `norm_1`, `ffn_1`, `ffn_2`, `norm_2`), so model.layers lists the
    block as one entry and none of them."""
    global _ENCODER_BLOCK_CLASS
    if _ENCODER_BLOCK_CLASS is None:
        import keras

        class EncoderBlock(keras.layers.Layer):
            def __init__(self, dropout=0.0, **kwargs):
                super().__init__(**kwargs)
                for role, layer in _block_layers("", dropout).items():
                    setattr(self, role, layer)

            def call(self, x, training=None):
                attended = self.attention(x, x, training=training)
                h = self.norm_1(x + attended)
                return self.norm_2(h + self.ffn_2(self.ffn_1(h)))

        _ENCODER_BLOCK_CLASS = EncoderBlock
    return _ENCODER_BLOCK_CLASS


def subclassed_encoder_model(blocks: int = 2, dropout: float = 0.0):
    """A stack of `blocks` EncoderBlock layers ("block1", "block2", ...), then
    GlobalAveragePooling1D and a Dense "head": model.layers shows the blocks, not their layers."""
    import keras

    keras.utils.set_random_seed(SEED)
    block = encoder_block_class()
    inputs = keras.Input(SEQUENCE_SHAPE)
    h = inputs
    for b in range(1, blocks + 1):
        h = block(dropout=dropout, name=f"block{b}")(h)
    pooled = keras.layers.GlobalAveragePooling1D(name="pool")(h)
    return keras.Model(inputs, keras.layers.Dense(1, name="head")(pooled), name="stack")


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
