"""Behaviours of the installed Keras that katas 25-27 (LoRA with `layer.enable_lora`) teach.

Each is checked here on the installed version, in the form the lessons, hints and failure
messages state it. If a Keras upgrade changes one of these, this file fails and the lesson that
states it must change too. Two tests are written to be turned into quiz questions as they are
(their docstrings start with "Quiz-ready").
"""
import numpy as np
import pytest

keras = pytest.importorskip("keras")
layers = keras.layers


def data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, np.tanh(x[:, :1] - x[:, 1:2]).astype("float32")


def small_model():
    """Input(4) -> Dense 'd' (4 -> 4, tanh) -> Dense 'head' (4 -> 1)."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input((4,))
    d = layers.Dense(4, activation="tanh", name="d")
    model = keras.Model(inputs, layers.Dense(1, name="head")(d(inputs)))
    return model, d


def flags(layer):
    return {v.name: v.trainable for v in layer.weights}


def copies(layer):
    return {v.name: np.array(v.numpy(), copy=True) for v in layer.weights}


def moved(before, layer):
    return {v.name: not np.array_equal(before[v.name], v.numpy()) for v in layer.weights}


def fit(model, steps=4, optimizer=None):
    x, y = data(16 * steps)
    model.compile(optimizer=optimizer or keras.optimizers.SGD(0.1), loss="mse")
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)


def built(layer, shape):
    layer.build(shape)
    return layer


LORA_LAYERS = {
    "Dense": (lambda: built(layers.Dense(3), (None, 4)), "kernel", (4, 3)),
    "EinsumDense": (lambda: built(layers.EinsumDense("abc,cde->abde", output_shape=(5, 2, 4),
                                                     bias_axes="e"), (None, 5, 8)),
                    "kernel", (8, 2, 4)),
    "Embedding": (lambda: built(layers.Embedding(12, 8), None), "embeddings", (12, 8)),
}


@pytest.mark.parametrize("kind", list(LORA_LAYERS))
def test_enable_lora_adds_two_float32_factors_and_freezes_only_the_kernel_variable(kind):
    """Kata 25: `enable_lora(rank)` on a built Dense, EinsumDense or Embedding layer adds two
    trainable float32 variables (lora_kernel_a/b, lora_embeddings_a/b for an Embedding), A of
    shape kernel.shape[:-1] + (rank,) and B of shape (rank, n); it sets the kernel (embeddings)
    variable's own `trainable` to False; the layer's flag stays True and its bias trainable."""
    make, table, shape = LORA_LAYERS[kind]
    layer = make()
    layer.enable_lora(3)
    prefix = "lora_embeddings" if kind == "Embedding" else "lora_kernel"
    factors = {v.name: v for v in layer.weights if v.name.startswith("lora_")}
    assert sorted(factors) == [f"{prefix}_a", f"{prefix}_b"]
    assert tuple(factors[f"{prefix}_a"].shape) == shape[:-1] + (3,)
    assert tuple(factors[f"{prefix}_b"].shape) == (3, shape[-1])
    assert all(v.dtype == "float32" and v.trainable for v in factors.values())
    assert flags(layer)[table] is False
    assert layer.trainable is True
    assert flags(layer).get("bias", True) is True
    assert layer.lora_enabled and layer.lora_rank == 3 and layer.lora_alpha == 3


def test_convolutions_have_enable_lora_and_these_layers_do_not():
    """Kata 25: convolutions have `enable_lora` too; LayerNormalization, BatchNormalization,
    MultiHeadAttention (its inner EinsumDense layers have it) and a model used as a layer do
    not: calling it there raises AttributeError."""
    assert hasattr(layers.Conv2D(2, 3), "enable_lora")
    for layer in (layers.LayerNormalization(), layers.BatchNormalization(),
                  layers.MultiHeadAttention(2, 4), keras.Sequential([layers.Dense(2)])):
        assert not hasattr(layer, "enable_lora")
    with pytest.raises(AttributeError):
        layers.LayerNormalization().enable_lora(2)


def test_b_starts_at_zero_and_the_layer_computes_with_w_plus_scaled_a_b():
    """Katas 25 and 27: right after enable_lora the model computes exactly what it computed
    (B is zero); the layer then uses W + (lora_alpha / lora_rank) * A @ B, lora_alpha defaults to
    the rank, and `layer.kernel` returns that sum as a tensor, not the kernel variable, which is
    the variable named "kernel" in layer.weights. For an EinsumDense kernel of three axes, A @ B
    multiplies over A's last axis."""
    model, d = small_model()
    x, _ = data(8)
    before = np.asarray(model(x))
    d.enable_lora(2)
    assert np.array_equal(np.asarray(model(x)), before)
    assert d.lora_alpha == 2
    rng = np.random.default_rng(1)
    d.lora_kernel_b.assign(rng.normal(size=(2, 4)).astype("float32"))
    variable = next(v for v in d.weights if v.name == "kernel")
    assert not isinstance(d.kernel, keras.Variable) and d.kernel is not variable
    w, a, b = variable.numpy(), d.lora_kernel_a.numpy(), d.lora_kernel_b.numpy()
    np.testing.assert_allclose(np.asarray(d.kernel), w + a @ b, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(d(x)), np.tanh(x @ (w + a @ b) + d.bias.numpy()),
                               rtol=1e-5, atol=1e-5)

    einsum = LORA_LAYERS["EinsumDense"][0]()
    einsum.enable_lora(2, lora_alpha=6)
    einsum.lora_kernel_b.assign(rng.normal(size=(2, 4)).astype("float32"))
    w = next(v for v in einsum.weights if v.name == "kernel").numpy()
    merged = w + 3 * np.matmul(einsum.lora_kernel_a.numpy(), einsum.lora_kernel_b.numpy())
    np.testing.assert_allclose(np.asarray(einsum.kernel), merged, rtol=1e-5, atol=1e-5)

    embedding = LORA_LAYERS["Embedding"][0]()
    embedding.enable_lora(2, lora_alpha=1)
    embedding.lora_embeddings_b.assign(rng.normal(size=(2, 8)).astype("float32"))
    w = next(v for v in embedding.weights if v.name == "embeddings").numpy()
    merged = w + 0.5 * embedding.lora_embeddings_a.numpy() @ embedding.lora_embeddings_b.numpy()
    np.testing.assert_allclose(np.asarray(embedding.embeddings), merged, rtol=1e-5, atol=1e-5)


def test_a_fit_moves_the_factors_and_never_the_kernel_b_first_then_a():
    """Kata 25 (its tests): after enable_lora, fit() (graph mode, SGD) leaves the kernel
    bit-identical and moves both factors: B at the first step (A's gradient is zero while B is
    zero), A from the second. The bias, still trainable, moves too, and so does every other
    layer: enable_lora freezes nothing outside its layer."""
    model, d = small_model()
    d.enable_lora(2)
    before, head = copies(d), copies(model.get_layer("head"))
    fit(model, steps=1)
    assert all(moved(head, model.get_layer("head")).values())
    assert moved(before, d) == {"kernel": False, "bias": True, "lora_kernel_a": False,
                                "lora_kernel_b": True}
    fit(model, steps=1)
    assert moved(before, d) == {"kernel": False, "bias": True, "lora_kernel_a": True,
                                "lora_kernel_b": True}


def test_fit_trains_the_variables_whose_own_flag_is_true_in_a_model_whose_flag_is_true():
    """Katas 25 and 26: the model trains a variable whose own flag is True even inside a layer
    whose flag is False; a model whose own flag is False trains nothing (and fit() runs without
    an error), whatever its variables' flags."""
    model, d = small_model()
    d.enable_lora(2)
    d.trainable = False
    for v in d.weights:
        v.trainable = v.name.startswith("lora_")
    before = copies(d)
    fit(model)
    assert d.trainable is False
    assert moved(before, d) == {"kernel": False, "bias": False, "lora_kernel_a": True,
                                "lora_kernel_b": True}

    model, d = small_model()
    model.trainable = False
    for v in model.weights:
        v.trainable = True
    assert model.trainable_weights == []
    before = copies(d)
    fit(model)
    assert not any(moved(before, d).values())


def test_on_a_frozen_layer_the_factors_come_frozen_and_unfreezing_the_layer_unfreezes_the_kernel():
    """Kata 25: enable_lora on a layer whose flag is False creates the factors with their own flag
    False; `layer.trainable = True` afterwards sets every variable of the layer trainable, the
    kernel included. Unfreezing before enable_lora keeps the kernel frozen."""
    _, d = small_model()
    d.trainable = False
    d.enable_lora(2)
    assert flags(d) == {"kernel": False, "bias": False, "lora_kernel_a": False,
                        "lora_kernel_b": False}
    d.trainable = True
    assert flags(d) == {"kernel": True, "bias": True, "lora_kernel_a": True,
                        "lora_kernel_b": True}

    _, d = small_model()
    d.trainable = False
    d.trainable = True
    d.enable_lora(2)
    assert flags(d)["kernel"] is False


def test_enable_lora_works_once_and_accepts_rank_zero_until_the_layer_is_called():
    """Katas 25 and 27: a second enable_lora raises ValueError ("lora is already enabled");
    nothing public undoes it or merges the factors (no public attribute of a LoRA layer speaks of
    disabling, removing or merging); enable_lora(0) is accepted and adds empty factors, and the
    layer's first call then raises ZeroDivisionError (lora_alpha / rank)."""
    layer = LORA_LAYERS["Dense"][0]()
    layer.enable_lora(2)
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(2)
    public = [name for name in dir(layer) if not name.startswith("_")]
    assert not [name for name in public
                if any(word in name for word in ("disable", "remove", "merge", "unload"))]
    assert not [name for name in dir(keras.Model) if not name.startswith("_") and "lora" in name]
    layer = LORA_LAYERS["Dense"][0]()
    layer.enable_lora(0)
    assert [tuple(v.shape) for v in layer.weights if v.name.startswith("lora_")] == [(4, 0), (0, 3)]
    with pytest.raises(ZeroDivisionError):
        layer(np.ones((1, 4), "float32"))


def test_quiz_ready_the_false_then_true_toggle_undoes_the_lora_freeze():
    """Quiz-ready (kata 26): after `layer.enable_lora(2)` froze a Dense kernel, toggling the
    model's flag (`model.trainable = False`, then `model.trainable = True`) makes the kernel
    trainable again, and the bias with it: the next fit() moves the pretrained kernel. The same
    holds for a nested model's flag toggled around the LoRA layer."""
    model, d = small_model()
    d.enable_lora(2)
    d.bias.trainable = False  # as in the parameter-efficient setup: only the factors train
    assert [v.name for v in d.trainable_weights] == ["lora_kernel_a", "lora_kernel_b"]
    model.trainable = False
    assert not any(flags(d).values())  # a layer frozen after enable_lora: its factors too
    model.trainable = True
    assert [v.name for v in d.trainable_weights] == ["kernel", "bias", "lora_kernel_a",
                                                     "lora_kernel_b"]
    before = copies(d)
    fit(model)
    assert moved(before, d)["kernel"] is True

    keras.utils.set_random_seed(0)
    inner = keras.Sequential([keras.Input((4,)), layers.Dense(4, name="d")], name="inner")
    inputs = keras.Input((4,))
    keras.Model(inputs, layers.Dense(1)(inner(inputs)))
    inner.get_layer("d").enable_lora(2)
    inner.trainable = False
    inner.trainable = True
    assert flags(inner.get_layer("d"))["kernel"] is True


def test_quiz_ready_model_trainable_true_on_a_trainable_model_leaves_a_lora_kernel_frozen():
    """Quiz-ready (kata 26): on the TensorFlow backend, `model.trainable = True` on a model whose
    flag is already True does nothing: a kernel frozen by `enable_lora` stays out of
    model.trainable_weights, and fit() leaves it bit-identical. The same no-op holds for
    `layer.trainable = True` on a layer whose flag is already True: a LoRA kernel stays frozen,
    and a Dense layer whose variables were frozen one by one stays frozen."""
    model, d = small_model()
    d.enable_lora(2)
    model.trainable = True
    d.trainable = True
    assert flags(d)["kernel"] is False
    assert "kernel" not in [v.name for v in d.trainable_weights]
    before = copies(d)
    fit(model)
    assert moved(before, d) == {"kernel": False, "bias": True, "lora_kernel_a": True,
                                "lora_kernel_b": True}

    _, d = small_model()
    for v in d.weights:
        v.trainable = False
    d.trainable = True
    assert d.trainable_weights == []


def lora_classifier(alphas=(("tokens", 2, 1), ("mix", 2, 6), ("features", 2, 6))):
    """Embedding 'tokens' -> EinsumDense 'mix' -> GlobalAveragePooling1D -> Dense 'features',
    nested as 'encoder' in a functional model with a Dense head; LoRA on the three named layers
    with the given ranks and lora_alpha, B random (as after training)."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input((5,), dtype="int32")
    h = layers.Embedding(12, 8, name="tokens")(inputs)
    h = layers.EinsumDense("abc,cd->abd", output_shape=(5, 8), bias_axes="d", name="mix")(h)
    h = layers.GlobalAveragePooling1D()(h)
    encoder = keras.Model(inputs, layers.Dense(8, name="features")(h), name="encoder")
    outer = keras.Input((5,), dtype="int32")
    model = keras.Model(outer, layers.Dense(1, name="head")(encoder(outer)))
    rng = np.random.default_rng(3)
    for name, rank, alpha in alphas:
        layer = encoder.get_layer(name)
        layer.enable_lora(rank, lora_alpha=alpha)
        for v in layer.weights:
            if v.name.startswith("lora_"):
                v.assign(rng.normal(size=v.shape).astype("float32"))
    tokens = rng.integers(0, 12, size=(8, 5)).astype("int32")
    return model, encoder, tokens


def test_a_saved_lora_model_reloads_with_lora_enabled_again_and_forgets_dense_alphas(tmp_path):
    """Kata 27: `model.save` of a LoRA model writes each LoRA layer's merged kernel,
    W + (lora_alpha / lora_rank) * A @ B, and load_model rebuilds the layers with LoRA enabled
    again (their config has lora_rank), their factors set to zero: the predictions match. A Dense
    or an Embedding rebuilt from such a config gets lora_alpha = lora_rank; an EinsumDense keeps
    its lora_alpha."""
    model, encoder, tokens = lora_classifier()
    merged = {name: np.asarray(encoder.get_layer(name).kernel if name != "tokens"
                               else encoder.get_layer(name).embeddings)
              for name in ("tokens", "mix", "features")}
    model.save(tmp_path / "lora.keras")
    reloaded = keras.saving.load_model(tmp_path / "lora.keras")
    np.testing.assert_allclose(np.asarray(reloaded(tokens)), np.asarray(model(tokens)),
                               rtol=1e-5, atol=1e-5)
    inner = reloaded.get_layer("encoder")
    for name in ("tokens", "mix", "features"):
        layer = inner.get_layer(name)
        assert layer.lora_enabled
        assert all(not np.any(v.numpy()) for v in layer.weights if v.name.startswith("lora_"))
        table = next(v for v in layer.weights if v.name in ("kernel", "embeddings"))
        np.testing.assert_allclose(table.numpy(), merged[name], rtol=1e-5, atol=1e-5)
    assert [(inner.get_layer(n).lora_rank, inner.get_layer(n).lora_alpha)
            for n in ("tokens", "mix", "features")] == [(2, 2), (2, 6), (2, 2)]


def without_lora(config):
    if isinstance(config, dict):
        return {k: without_lora(v) for k, v in config.items()
                if k not in ("lora_rank", "lora_alpha")}
    if isinstance(config, list):
        return [without_lora(v) for v in config]
    return config


def lora_layers_of(model):
    found, stack = [], list(model.layers)
    while stack:
        layer = stack.pop()
        if isinstance(layer, keras.Model):
            stack.extend(layer.layers)
        elif getattr(layer, "lora_enabled", False):
            found.append(layer.name)
    return sorted(found)


def test_a_config_rebuilds_lora_layers_with_lora_unless_lora_rank_is_removed():
    """Kata 27: a LoRA layer's config has lora_rank and lora_alpha, and a model rebuilt from the
    config (from_config, clone_model) has LoRA enabled on those layers; with every lora_rank and
    lora_alpha removed, at any depth, `type(model).from_config` rebuilds plain layers, for a
    functional and a Sequential model. keras.Model.from_config fails on a Sequential's config
    (ValueError). clone_model hands a nested model whole to its clone_function unless
    recursive=True."""
    model, encoder, _ = lora_classifier()
    assert {"lora_rank", "lora_alpha"} <= set(encoder.get_layer("mix").get_config())
    assert lora_layers_of(type(model).from_config(model.get_config())) == [
        "features", "mix", "tokens"]
    assert lora_layers_of(keras.models.clone_model(model)) == ["features", "mix", "tokens"]
    assert lora_layers_of(type(model).from_config(without_lora(model.get_config()))) == []

    def plain(layer):
        config = {k: v for k, v in layer.get_config().items()
                  if k not in ("lora_rank", "lora_alpha")}
        return type(layer).from_config(config)

    assert lora_layers_of(keras.models.clone_model(model, clone_function=plain)) == [
        "features", "mix", "tokens"]
    assert lora_layers_of(keras.models.clone_model(model, clone_function=plain,
                                                   recursive=True)) == []

    sequential = keras.Sequential([keras.Input((4,)), layers.Dense(3, name="d")])
    sequential.get_layer("d").enable_lora(2)
    rebuilt = type(sequential).from_config(without_lora(sequential.get_config()))
    assert isinstance(rebuilt, keras.Sequential) and lora_layers_of(rebuilt) == []
    with pytest.raises(ValueError):
        keras.Model.from_config(sequential.get_config())


def test_get_weights_of_a_lora_layer_lists_w_the_bias_a_and_b():
    """Kata 27: `get_weights()` of a LoRA Dense layer lists the kernel W, the bias, then A and B
    (so one `set_weights(model.get_weights())` cannot fill a model without LoRA)."""
    _, d = small_model()
    d.enable_lora(2)
    assert [v.name for v in d.weights] == ["kernel", "bias", "lora_kernel_a", "lora_kernel_b"]
    assert [w.shape for w in d.get_weights()] == [(4, 4), (4,), (4, 2), (2, 4)]


def test_save_weights_of_a_lora_model_load_into_the_same_model_without_lora(tmp_path):
    """Kata 27 (a right answer): save_weights writes each LoRA layer's kernel merged and no
    factors, so a model rebuilt without LoRA loads the file and predicts what the LoRA model
    predicts."""
    model, _, tokens = lora_classifier()
    plain = type(model).from_config(without_lora(model.get_config()))
    model.save_weights(tmp_path / "lora.weights.h5")
    plain.load_weights(tmp_path / "lora.weights.h5")
    assert lora_layers_of(plain) == []
    np.testing.assert_allclose(np.asarray(plain(tokens)), np.asarray(model(tokens)),
                               rtol=1e-5, atol=1e-5)
