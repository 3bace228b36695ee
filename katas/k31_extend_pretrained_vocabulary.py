"""Kata 31: extend a pretrained vocabulary: old rows frozen, new rows trained.

Why it matters
--------------
A pretrained embedding knows its vocabulary; a new task brings new tokens (product names, special
tokens, words of a new domain). The usual answer is a larger embedding matrix: the pretrained rows
first, unchanged, so that every old token id keeps its meaning for the rest of the pretrained
network, and one new row per new token, which training then learns.

`trainable` is all or nothing for a variable, so freezing some rows of one matrix takes more:

* A gradient mask (kata 20): give the old rows a gradient of 0, for instance by looking them up
  through `keras.ops.stop_gradient`. With SGD, momentum, Adam, ... they then stay bit-exact, but
  not under weight decay, which every Keras optimizer accepts (AdamW has it by default): decay
  shrinks the variable itself, every row of it, whatever its gradient.
* Trusting the data is no freeze either. A row that no batch looks up gets a gradient of 0: with
  SGD it stays put, but with Adam a row looked up in an earlier batch keeps moving afterwards (its
  momentum), and weight decay moves every row.
* Two variables: the pretrained rows in a variable with `trainable=False` (the optimizer never
  sees it, so it never moves or decays it), the new rows in a trainable one, and the lookup in
  their concatenation. A small layer of your own does it (`keras.layers.Layer`, `add_weight`,
  `keras.ops.concatenate`, `keras.ops.take`).
* Or one matrix and a constraint that puts the old rows back after every update (kata 20): an
  Embedding accepts `embeddings_constraint`, and the optimizer applies a constraint after the
  whole update, weight decay included.

A new row needs a starting point. An Embedding's default, small random numbers (uniform in
[-0.05, 0.05]), makes a new token unlike any pretrained one; the mean of the pretrained rows
starts it as an "average" token, as John Hewitt recommends in "Initializing New Word Embeddings
for Pretrained Language Models".

Two details of the pretrained layer must carry over. Its dtype: a float64 matrix copied into a
float32 layer loses digits, and its rows are no longer the pretrained ones. And `mask_zero`: id 0
is padding, which layers such as GlobalAveragePooling1D then leave out.

Your task
---------
Write `extend_vocabulary(pretrained, new_tokens)`. `pretrained` is a built, trainable
`keras.layers.Embedding` of `input_dim` rows. Return a new layer that looks token ids up like an
Embedding of `input_dim + new_tokens` rows, for the caller to use in a model (functional or
Sequential):

* Ids 0 .. input_dim-1 look up the pretrained rows, bit for bit and in the pretrained layer's
  dtype; ids input_dim .. input_dim+new_tokens-1 look up the new tokens' rows, of the same size.
  The new layer has the pretrained layer's dtype policy (`pretrained.dtype_policy`), so it returns
  what the pretrained layer returned for the old ids, in the same dtype: under "mixed_float16",
  float16 rows rounded from float32 variables.
* Each new row starts as the mean of the pretrained rows (all of them, row 0 included).
* Every variable of the new layer reports the shape of the numbers it holds (`add_weight` needs
  `shape=`: without it, a Constant initializer fills a variable of shape () with a whole matrix).
* When `pretrained.mask_zero` is True, id 0 is masked, as it was.
* Whatever optimizer fit() trains the model with, weight decay included, the pretrained rows stay
  bit-identical, and every new row that the training data looks up trains.
* `new_tokens` may be 0: then the layer looks up the pretrained rows only, and none of them trains.

Example
-------
    >>> from dojo import architectures
    >>> pretrained = architectures.pretrained_embedding(vocabulary=10, dim=4, mask_zero=True)
    >>> old = pretrained.embeddings.numpy()
    >>> extended = extend_vocabulary(pretrained, new_tokens=3)
    >>> rows = keras.ops.convert_to_numpy(extended(np.arange(13)))    # the rows of ids 0..12
    >>> rows.shape, bool(np.array_equal(rows[:10], old))
    ((13, 4), True)
    >>> bool(np.allclose(rows[10:], old.mean(axis=0)))                 # 3 "average" tokens
    True
    >>> model = architectures.bag_of_words(extended)   # ids -> extended -> average -> Dense(1)
    >>> ids = np.random.default_rng(0).integers(1, 13, size=(64, 5))
    >>> model.compile(optimizer=keras.optimizers.AdamW(1e-2), loss="mse")
    >>> _ = model.fit(ids, np.ones((64, 1)), verbose=0)
    >>> after = keras.ops.convert_to_numpy(extended(np.arange(13)))
    >>> bool(np.array_equal(after[:10], old)), bool((after[10:] != rows[10:]).all())
    (True, True)

Run `make kata N=31` to check your work, `make hint N=31` if you are stuck.
"""
import keras


def extend_vocabulary(pretrained: keras.layers.Embedding, new_tokens: int) -> keras.layers.Layer:
    raise NotImplementedError("pretrained rows (never trained) + new_tokens rows starting at their "
                              "mean, same dtype and mask_zero")
