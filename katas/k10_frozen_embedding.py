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

* `matrix` is a NumPy array of shape `(vocabulary_size, embedding_dim)`. Return a
  `keras.layers.Embedding` whose embeddings equal `matrix` (as float32: Keras stores them so)
  as soon as the layer is built, however and whenever that happens.
* The layer must never change in training: its embeddings are not in `model.trainable_weights`
  of a model that uses it, and stay bit-identical through `fit()`.
* The caller may build it by calling it on a `keras.Input`, or put it in a Sequential model
  without an Input, which `fit()` builds.
* `mask_zero=True`: index 0 is padding. `layer.mask_zero` is True and `layer.compute_mask(ids)` is
  `ids != 0`, so a GlobalAveragePooling1D after it averages only the real words.
* Return the layer itself, not a model.

Example
-------
    vectors = np.random.default_rng(0).normal(size=(1000, 50)).astype("float32")
    embed = pretrained_embedding(vectors, mask_zero=True)
    model = keras.Sequential([embed, keras.layers.GlobalAveragePooling1D(),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    model.fit(token_ids, labels)                          # only the Dense layer learns
    np.array_equal(embed.embeddings.numpy(), vectors)     # True

Run `make kata N=10` to check your work, `make hint N=10` if you are stuck.
"""
import keras
import numpy as np


def pretrained_embedding(matrix: np.ndarray, mask_zero: bool = False) -> keras.layers.Embedding:
    raise NotImplementedError("return a frozen Embedding whose embeddings are the matrix")
