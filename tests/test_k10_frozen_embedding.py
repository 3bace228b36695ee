"""Kata 10: a pretrained embedding that never changes."""
import keras
import numpy as np

from dojo import zoo
from dojo.checks import KataFailure, agree, expect, expect_moved_exactly, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k10_frozen_embedding/ that break only it.
REQUIREMENTS = {
    "the embeddings equal the matrix once the layer is built, however that happens": (
        "test_called_on_an_input_the_matrix_stays_exact_through_fit",
        ["frozen_random_init", "sets_weights_before_build"]),
    "the embeddings are float32, whatever the matrix's dtype": (
        "test_a_float64_matrix_is_stored_as_float32", ["keeps_the_matrix_dtype"]),
    "the layer keeps the values the matrix holds at the call": (
        "test_called_on_an_input_the_matrix_stays_exact_through_fit", ["reads_the_callers_array"]),
    "the layer never changes in training": (
        "test_called_on_an_input_the_matrix_stays_exact_through_fit", ["initializer_but_trainable"]),
    "mask_zero=True masks index 0, and pooling averages only the real words": (
        "test_in_a_sequential_built_by_fit_with_padding_masked", ["ignores_mask_zero"]),
    "by default nothing is masked": (
        "test_called_on_an_input_the_matrix_stays_exact_through_fit", ["always_masks_zero"]),
    "a model that uses the layer saves and loads back, the layer frozen and holding the matrix": (
        "test_a_float64_matrix_is_stored_as_float32", ["passes_the_matrix_as_initializer"]),
    "return the layer itself, not a model": (
        "test_called_on_an_input_the_matrix_stays_exact_through_fit", ["returns_a_model"]),
}

VOCABULARY, DIM, LENGTH = 12, 4, 5


def pretrained_vectors():
    return np.random.default_rng(10).normal(size=(VOCABULARY, DIM)).astype("float32")


def token_ids(n=64, seed=0):
    """Ids 0..8 only: rows 9..11 are never looked up; 0 is padding when mask_zero is on."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, 9, size=(n, LENGTH)).astype("int32")
    ids[:, -2:] *= rng.integers(0, 2, size=(n, 2)).astype("int32")  # some trailing padding
    labels = np.tanh(ids.mean(axis=1, keepdims=True) - 4.0).astype("float32")
    return ids, labels


def expect_embedding(layer, matrix, call):
    expect(isinstance(layer, keras.layers.Embedding),
           f"{call} should return a keras.layers.Embedding layer, got {layer!r}")
    expect((layer.input_dim, layer.output_dim) == matrix.shape,
           f"{call}: input_dim should be the vocabulary size {matrix.shape[0]} and output_dim the "
           f"vector length {matrix.shape[1]}, got input_dim={layer.input_dim}, "
           f"output_dim={layer.output_dim}")


def expect_equal_to_matrix(layer, matrix, when):
    values = np.asarray(layer.embeddings.numpy())
    same = values.shape == matrix.shape and np.array_equal(values, matrix)
    detail = ("" if values.shape != matrix.shape else
              f" (largest difference {np.max(np.abs(values - matrix)):.1e})")
    expect(same, f"{when}, the embeddings should equal the pretrained matrix exactly, but they "
                 f"differ{detail}: the matrix never arrived in the layer, or training changed it")


def test_called_on_an_input_the_matrix_stays_exact_through_fit(kata):
    matrix = pretrained_vectors()
    given = matrix.copy()
    embed = kata.pretrained_embedding(given)
    call = "pretrained_embedding(matrix)"
    expect_embedding(embed, matrix, call)
    given.fill(0.0)  # the caller reuses its array before the layer is built
    inputs = keras.Input((LENGTH,), dtype="int32")
    pooled = keras.layers.GlobalAveragePooling1D(name="pool")(embed(inputs))
    outputs = keras.layers.Dense(1, name="head")(pooled)
    model = keras.Model(inputs, outputs)
    expect(not np.array_equal(embed.embeddings.numpy(), given),
           "the caller filled its matrix with zeros after pretrained_embedding(matrix) returned, "
           "and the layer, built after that, holds those zeros: it read the caller's array when it "
           "was built, not the values the matrix held at the call. Give the layer a copy "
           "(np.array copies; np.asarray does not when the matrix is float32 already)")
    expect_equal_to_matrix(embed, matrix, "once the layer is built by calling it on a keras.Input")

    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    ids, labels = token_ids()
    before = snapshot(model)
    model.fit(ids, labels, epochs=1, batch_size=16, verbose=0)
    expect_equal_to_matrix(embed, matrix, "after fit() with Adam")
    expect(all(id(v) != id(embed.embeddings) for v in model.trainable_weights),
           "the embeddings should not be in model.trainable_weights: freeze the layer")
    expect_moved_exactly(before, should_move=[model.get_layer("head")])
    expect(embed.compute_mask(ids) is None,
           "pretrained_embedding(matrix) with mask_zero left at False should not mask anything: "
           "compute_mask should return None")


def test_in_a_sequential_built_by_fit_with_padding_masked(kata):
    matrix = pretrained_vectors()
    embed = kata.pretrained_embedding(matrix.copy(), mask_zero=True)
    call = "pretrained_embedding(matrix, mask_zero=True)"
    expect_embedding(embed, matrix, call)
    expect(embed.mask_zero is True, f"{call}: layer.mask_zero should be True, got {embed.mask_zero!r}")
    model = keras.Sequential([embed, keras.layers.GlobalAveragePooling1D(name="pool"),
                              keras.layers.Dense(1, name="head")])
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    ids, labels = token_ids(seed=1)
    model.fit(ids, labels, epochs=1, batch_size=16, verbose=0)  # builds the model, then trains
    expect_equal_to_matrix(embed, matrix, "in a Sequential model built by fit(), after training")

    mask = embed.compute_mask(ids)
    expect(mask is not None and np.array_equal(np.asarray(mask), ids != 0),
           f"{call}: compute_mask(ids) should be ids != 0 (index 0 is padding), got {mask!r}")
    # With the mask, the average over [0, 0, 3, 0, 0] is row 3 itself: padding is not a word.
    head = model.get_layer("head")
    probe = np.array([[0, 0, 3, 0, 0]], dtype="int32")
    expected = matrix[3] @ head.kernel.numpy() + head.bias.numpy()
    got = np.asarray(model(probe))[0]
    expect(agree(got, expected),
           f"with mask_zero=True, the model's output for [0, 0, 3, 0, 0] should be the head applied "
           f"to row 3 alone ({expected[0]:.4f}): GlobalAveragePooling1D averages only unmasked "
           f"positions; got {got[0]:.4f}, as if the padding rows were averaged in")


def test_a_float64_matrix_is_stored_as_float32(kata, tmp_path):
    matrix = np.random.default_rng(11).normal(size=(VOCABULARY, DIM))  # float64, as NumPy makes it
    embed = kata.pretrained_embedding(matrix.copy())
    call = "pretrained_embedding(matrix) with a float64 matrix"
    expect_embedding(embed, matrix, call)
    inputs = keras.Input((LENGTH,), dtype="int32")
    model = keras.Model(inputs, embed(inputs))  # builds the layer
    dtype = str(embed.embeddings.dtype)
    expect(dtype == "float32",
           f"{call}: the embeddings should be stored as float32, like every Keras layer's weights "
           f"by default, got {dtype}")
    expect_equal_to_matrix(embed, matrix.astype("float32"), "once the layer is built")

    path = tmp_path / "model.keras"
    model.save(path)
    try:
        loaded = keras.models.load_model(path)
    except (TypeError, ValueError) as error:
        raise KataFailure(
            f"a model that uses the layer saves, but keras.models.load_model cannot load it back "
            f"({type(error).__name__}). The saved config describes each layer, its initializer "
            f"included, and a NumPy array given as the initializer is saved as a bare function "
            f"that cannot be rebuilt: wrap it in keras.initializers.Constant, or give the weights "
            f"another way") from None
    again = loaded.layers[-1]
    expect(not again.trainable and not loaded.trainable_weights,
           "the model loaded back from model.save() has trainable embeddings: the layer should "
           "stay frozen once saved and loaded")
    expect_equal_to_matrix(again, matrix.astype("float32"), "in the model loaded back")
