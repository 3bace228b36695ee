"""Kata 10: a pretrained embedding that never changes.

Why it matters
--------------
Text models often start from pretrained word vectors (GloVe, word2vec, fastText): a matrix with one
row per word of the vocabulary. With a small training set, keeping those vectors fixed is the safe
choice: only the layers above them learn. Two things go wrong. The matrix never arrives in the
layer: a Keras layer creates its variables when it is built, so values set on an unbuilt layer
have nowhere to go (`set_weights` on an unbuilt Embedding raises `ValueError`: the layer has no
weights yet). Or the layer stays trainable, and the first `fit()` rewrites the pretrained vectors.

Your task
---------
Write `pretrained_embedding(matrix, mask_zero=False)`:

* `matrix` is a NumPy array of shape `(vocabulary_size, embedding_dim)`, float32 or float64.
  Return a `keras.layers.Embedding` whose embeddings equal `matrix` (as float32: Keras stores
  them so, whatever the matrix's dtype) as soon as the layer is built, however and whenever that
  happens. The values are the ones `matrix` holds at the call: if the caller changes its array
  afterwards, before the layer is built, the layer does not follow.
* The layer must never change in training: its embeddings are not in `model.trainable_weights`
  of a model that uses it, and stay bit-identical through `fit()`.
* The caller may build it by calling it on a `keras.Input`, or put it in a Sequential model
  without an Input, which `fit()` builds.
* `mask_zero=True`: index 0 is padding. `layer.mask_zero` is True and `layer.compute_mask(ids)` is
  `ids != 0`, so a GlobalAveragePooling1D after it averages only the real words. With the default
  `mask_zero=False`, nothing is masked (`compute_mask` returns None): index 0 is a word like any
  other.
* A model that uses the layer can be saved with `model.save("model.keras")` and loaded back with
  `keras.models.load_model`: the loaded layer is frozen and holds the matrix too.
* Return the layer itself, not a model.

Example
-------
    >>> vectors = np.random.default_rng(0).normal(size=(1000, 50))  # float64
    >>> embed = pretrained_embedding(vectors, mask_zero=True)
    >>> model = keras.Sequential([embed, keras.layers.GlobalAveragePooling1D(),
    ...                           keras.layers.Dense(1, activation="sigmoid", name="out")],
    ...                          name="classifier")
    >>> model.compile(optimizer="adam", loss="binary_crossentropy")
    >>> token_ids = np.random.default_rng(1).integers(1, 1000, size=(32, 10))
    >>> labels = np.random.default_rng(2).integers(0, 2, size=(32, 1))
    >>> history = model.fit(token_ids, labels, epochs=2, verbose=0)  # builds the model, trains
    >>> [v.path for v in model.trainable_weights]  # only the Dense layer learns
    ['classifier/out/kernel', 'classifier/out/bias']
    >>> embed.embeddings.dtype, np.array_equal(embed.embeddings.numpy(), vectors.astype("float32"))
    ('float32', True)
    >>> np.asarray(embed.compute_mask(np.array([[5, 7, 0, 0]])))  # 0 is padding
    array([[ True,  True, False, False]])

Run `make kata N=10` to check your work, `make hint N=10` if you are stuck.
"""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    raise NotImplementedError("return a frozen Embedding whose embeddings are the matrix")
