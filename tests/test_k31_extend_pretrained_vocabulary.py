"""Kata 31: a larger embedding whose pretrained rows stay bit-identical under any optimizer while
the rows of new tokens train."""
import keras
import numpy as np

from dojo import architectures, zoo
from dojo.checks import agree, expect, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k31_extend_pretrained_vocabulary/ that break only
# it.
REQUIREMENTS = {
    "rows 0..input_dim-1 are the pretrained rows, then one row per new token": (
        "test_old_rows_stay_and_looked_up_new_rows_train_under_adam", ["prepends_the_new_rows"]),
    "the rows keep the pretrained dtype, bit for bit (float64 stays float64)": (
        "test_old_rows_stay_under_weight_decay_in_float64", ["casts_to_float32"]),
    "the new layer has the pretrained layer's dtype policy (mixed_float16 returns float16)": (
        "test_old_rows_stay_under_weight_decay_in_float64", ["drops_the_dtype_policy"]),
    "each new row starts as the mean of the pretrained rows": (
        "test_old_rows_stay_and_looked_up_new_rows_train_under_adam",
        ["random_new_rows", "zero_new_rows"]),
    "id 0 stays masked when the pretrained embedding has mask_zero": (
        "test_old_rows_stay_and_looked_up_new_rows_train_under_adam", ["drops_mask_zero"]),
    "fit() leaves the pretrained rows bit-identical": (
        "test_old_rows_stay_and_looked_up_new_rows_train_under_adam", ["trains_every_row"]),
    "the pretrained rows stay bit-identical under weight decay too": (
        "test_old_rows_stay_under_weight_decay_in_float64", ["masks_the_gradient"]),
    "every new row that the data looks up trains": (
        "test_old_rows_stay_and_looked_up_new_rows_train_under_adam", ["freezes_the_whole_layer"]),
    "every variable of the layer reports the shape of what it holds": (
        "test_old_rows_stay_and_looked_up_new_rows_train_under_adam", ["leaves_out_the_shape"]),
    "no new tokens: the pretrained rows alone, none of which trains": (
        "test_no_new_tokens_keeps_the_pretrained_rows_only",
        ["returns_the_pretrained_layer_when_nothing_is_new"]),
}

VOCABULARY, DIM, LENGTH, N = 10, 4, 5, 64


def token_data(new_tokens, padding, seed=31):
    """N sequences of LENGTH ids. Every new token but the last is looked up (the last one never
    is); with `padding`, the last one or two positions of many sequences are id 0."""
    rng = np.random.default_rng(seed)
    top = VOCABULARY + max(new_tokens - 1, 0)
    ids = rng.integers(1, top, size=(N, LENGTH)).astype("int32")
    if padding:
        ids[: N // 2, -2:] = 0
        ids[N // 2: 3 * N // 4, -1] = 0
    y = rng.normal(size=(N, 1)).astype("float32")
    return ids, y


def rows_of(layer, count):
    """What the layer returns for the ids 0 .. count-1: its rows, whatever holds them."""
    return np.array(keras.ops.convert_to_numpy(layer(np.arange(count))), copy=True)


def extended(kata, pretrained, new_tokens):
    layer = kata.extend_vocabulary(pretrained, new_tokens)
    expect(isinstance(layer, keras.layers.Layer),
           f"extend_vocabulary should return a Keras layer, got {layer!r}")
    return layer


def check_rows(layer, pretrained_rows, new_tokens):
    """The rows before training: the pretrained rows first, bit for bit, then the new ones."""
    count = len(pretrained_rows) + new_tokens
    rows = rows_of(layer, count)
    expect(rows.shape == (count, DIM),
           f"looking up the ids 0..{count - 1} in the extended layer should give {count} rows of "
           f"{DIM} numbers ({len(pretrained_rows)} pretrained + {new_tokens} new), got an array "
           f"of shape {rows.shape}")
    expect(rows.dtype == pretrained_rows.dtype,
           f"the pretrained embedding holds {pretrained_rows.dtype} numbers, but the extended layer "
           f"returns {rows.dtype} ones: copied into another dtype, the pretrained rows are no "
           f"longer the pretrained ones. Build the new layer in the pretrained layer's dtype")
    misshapen = [(v.path, tuple(v.shape), np.shape(v.numpy())) for v in layer.weights
                 if tuple(v.shape) != np.shape(v.numpy())]
    expect(not misshapen,
           f"these variables of the extended layer report one shape but hold numbers of another "
           f"(variable, reported, held): {misshapen}. model.summary() and count_params() go by the "
           f"reported shape. Give add_weight the shape: add_weight(shape=rows.shape, ...); without "
           f"it the shape is (), whatever the initializer fills in")
    wrong = [i for i in range(len(pretrained_rows))
             if not np.array_equal(rows[i], pretrained_rows[i])]
    expect(not wrong,
           f"rows 0..{len(pretrained_rows) - 1} of the extended layer should be the pretrained "
           f"rows, bit for bit (the old token ids keep their meaning), but row(s) {wrong[:5]} "
           f"differ{'' if len(wrong) <= 5 else ' (and more)'}. The new tokens' rows come after "
           f"them")
    return rows


def fit(model, optimizer, ids, y):
    zoo.compile_ready_to_fit(model, optimizer, "mse")
    model.fit(ids, y, batch_size=16, epochs=1, verbose=0)


def check_pretrained_rows_stayed(layer, pretrained_rows, during, why=""):
    rows = rows_of(layer, len(pretrained_rows))
    moved = [i for i in range(len(pretrained_rows))
             if not np.array_equal(rows[i], pretrained_rows[i])]
    expect(not moved,
           f"the pretrained rows should stay bit-identical during fit() with {during}, but row(s) "
           f"{moved[:5]} moved, by up to {np.abs(rows - pretrained_rows).max():.1e}.{why} Keep "
           f"them where the optimizer cannot change them (a variable that does not train), or put "
           f"them back after every update")


def test_old_rows_stay_and_looked_up_new_rows_train_under_adam(kata):
    # A functional model over a mask_zero embedding; Adam without weight decay.
    pretrained = architectures.pretrained_embedding(VOCABULARY, DIM, mask_zero=True)
    old = np.array(pretrained.embeddings.numpy(), copy=True)
    layer = extended(kata, pretrained, 3)
    rows = check_rows(layer, old, 3)
    mean = old.mean(axis=0)
    far = [i for i in range(VOCABULARY, VOCABULARY + 3) if not agree(rows[i], mean)]
    expect(not far,
           f"each new row should start as the mean of the pretrained rows, {np.round(mean, 3)}, "
           f"but row(s) {far} start elsewhere (row {far[0] if far else ''}: "
           f"{np.round(rows[far[0]], 3) if far else ''})")

    model = architectures.bag_of_words(layer, LENGTH, "functional")
    ids, y = token_data(3, padding=True)
    out = model.get_layer("out")
    vectors, keep = rows[ids], (ids != 0)[..., None]
    pooled = (vectors * keep).sum(axis=1) / keep.sum(axis=1)  # the mean over unmasked positions
    want = pooled @ out.kernel.numpy() + out.bias.numpy()
    got = np.asarray(model.predict(ids, verbose=0))
    # The same math two ways (checks.agree); a layer without the mask averages the padding
    # positions in too, which moves the output by 0.1 or more here.
    expect(agree(got, want),
           f"the pretrained embedding masks id 0 (mask_zero=True), so GlobalAveragePooling1D "
           f"should average only the other positions; but the model's output differs by "
           f"{np.abs(got - want).max():.1e} from that average: id 0 is not masked by the extended "
           f"layer. Keep mask_zero")

    before = snapshot(model)
    fit(model, keras.optimizers.Adam(1e-2), ids, y)

    check_pretrained_rows_stayed(layer, old, "Adam")
    after = rows_of(layer, VOCABULARY + 3)
    still = [i for i in range(VOCABULARY, VOCABULARY + 2) if np.array_equal(after[i], rows[i])]
    expect(not still,
           f"the new tokens {VOCABULARY} and {VOCABULARY + 1} are looked up by the training data, "
           f"so their rows should train, but row(s) {still} did not change during fit()")
    expect(before.layer_change(out) > 0,
           "the model's Dense layer 'out' did not train: the extended layer must not stop the "
           "rest of the model from learning")


def test_old_rows_stay_under_weight_decay_in_float64(kata):
    # A Sequential model over a float64 embedding; AdamW, whose weight decay shrinks every
    # variable it updates, whatever its gradient.
    pretrained = architectures.pretrained_embedding(VOCABULARY, DIM, dtype="float64")
    old = np.array(pretrained.embeddings.numpy(), copy=True)
    layer = extended(kata, pretrained, 2)
    rows = check_rows(layer, old, 2)
    model = architectures.bag_of_words(layer, LENGTH, "sequential")
    ids, y = token_data(2, padding=False)

    fit(model, keras.optimizers.AdamW(1e-2, weight_decay=0.1), ids, y)

    # Under mixed precision the pretrained layer computes in float16: the old ids give the same.
    mixed = keras.layers.Embedding(VOCABULARY, DIM, dtype="mixed_float16", name="pretrained")
    mixed.build((None,))
    want = keras.ops.convert_to_numpy(mixed(np.arange(VOCABULARY)))
    got = rows_of(extended(kata, mixed, 1), VOCABULARY)
    expect(got.dtype == want.dtype and np.array_equal(got, want),
           f"under the 'mixed_float16' policy the pretrained embedding returns {want.dtype} rows "
           f"(float32 variables, float16 computations), but the extended layer returns "
           f"{got.dtype} rows{'' if got.dtype != want.dtype else ' with other values'} for the "
           f"old ids. Build the new layer with the pretrained layer's dtype policy: "
           f"dtype=pretrained.dtype_policy")

    check_pretrained_rows_stayed(
        layer, old, "AdamW(weight_decay=0.1)",
        " Weight decay shrinks every variable the optimizer updates, even rows whose gradient is "
        "0: a gradient mask is not enough.")
    after = rows_of(layer, VOCABULARY + 2)
    expect(not np.array_equal(after[VOCABULARY], rows[VOCABULARY]),
           f"the new token {VOCABULARY} is looked up by the training data, so its row should "
           f"train, but it did not change during fit()")


def test_no_new_tokens_keeps_the_pretrained_rows_only(kata):
    # new_tokens=0: the extended layer is the pretrained rows and nothing else; it must not
    # train, while the rest of the model does.
    pretrained = architectures.pretrained_embedding(VOCABULARY, DIM)
    old = np.array(pretrained.embeddings.numpy(), copy=True)
    layer = extended(kata, pretrained, 0)
    check_rows(layer, old, 0)
    model = architectures.bag_of_words(layer, LENGTH, "functional")
    ids, y = token_data(0, padding=False)
    before = snapshot(model)

    fit(model, keras.optimizers.Adam(1e-2), ids, y)

    check_pretrained_rows_stayed(layer, old, "Adam and no new tokens")
    expect(before.layer_change(model.get_layer("out")) > 0,
           "the model's Dense layer 'out' did not train: the extended layer must not stop the "
           "rest of the model from learning")
