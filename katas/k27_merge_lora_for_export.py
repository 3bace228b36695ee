"""Kata 27: merge LoRA adapters into plain layers for export.

Why it matters
--------------
A LoRA layer (kata 25) computes with W + (lora_alpha / lora_rank) * A @ B, recomputed at every
call from three variables. Once the adapters are trained, a model for serving wants one plain
kernel per layer: the same predictions, no LoRA code and no extra variables. Merging is that
sum, done once, into a model without LoRA.

Keras 3 has no public function for it (no method of a layer or a model removes or merges the
factors), and saving does not quite do it either. `model.save(...)` writes each LoRA layer's
merged kernel, W + scale * A @ B, in the place of W. But the layer's config still says
`lora_rank` (and `lora_alpha`), so `keras.saving.load_model` rebuilds the layers with LoRA
enabled again, with new factors set to zero: the predictions match, yet every reloaded LoRA layer
still carries its two factors and computes with them. (Worse: a Dense or Embedding layer rebuilt
from such a config gets `lora_alpha` = `lora_rank`, whatever the config says. Only EinsumDense
keeps it.)

What works is to rebuild the model without LoRA and give it the merged weights:

* `model.get_config()` describes the whole model, nested models included; a layer with LoRA has
  "lora_rank" and "lora_alpha" entries in its config. Without them, the class rebuilds a plain
  layer: `type(model).from_config(config)` (a Sequential's config is not a functional model's,
  so `keras.Model.from_config` fails on it), or `keras.models.clone_model` with a
  `clone_function` (and `recursive=True`: otherwise a nested model is handed to the
  `clone_function` whole).
* The merged kernel is W + (lora_alpha / lora_rank) * A @ B, where A @ B multiplies over A's last
  axis (A has the kernel's shape with its last axis replaced by the rank). On a LoRA layer,
  `layer.kernel` (`layer.embeddings` for an Embedding) already returns that sum, computed by Keras
  itself; the variable W is the one named "kernel" ("embeddings") in `layer.weights`.
* Every other weight (the biases, the layers without LoRA) is copied as it is, layer by layer
  (find each layer of the new model by its name in `model`), not with one
  `set_weights(model.get_weights())`: a LoRA layer's `get_weights()` lists W, the bias, A and B.

Your task
---------
Write `merge_lora(model)`:

* Return a new model with the same layers as `model` (the same classes and names, input layers
  aside; nested models kept; a functional model stays functional and a Sequential stays
  Sequential), without LoRA: no layer has `lora_enabled` True and no variable is a LoRA factor.
* Each layer that had LoRA gets the merged kernel (embeddings): W + (lora_alpha / lora_rank) *
  A @ B, with its own rank and lora_alpha. Every other weight is the model's, unchanged.
* So the merged model predicts what `model` predicts (up to float round-off).
* It saves to a `.keras` file and reloads with `keras.saving.load_model` as a model without LoRA
  that still predicts the same.
* Leave `model` untouched: its LoRA stays enabled and every one of its weights keeps its value.
* `model` is a functional or Sequential model, maybe with models nested in it; LoRA may be
  enabled on any of its Dense, EinsumDense and Embedding layers, at any depth, each with its own
  rank and lora_alpha. Which weights are trainable does not matter here.

Example
-------
    >>> from dojo import architectures
    >>> model = architectures.lora_encoder_classifier()
    >>> mix = model.get_layer("encoder").get_layer("mix")
    >>> mix.enable_lora(2, lora_alpha=6)  # the adapter is scaled by 6 / 2 = 3
    >>> _ = mix.lora_kernel_b.assign(np.ones((2, 4)))  # as if trained: B starts at zero
    >>> merged = merge_lora(model)
    >>> merged_mix = merged.get_layer("encoder").get_layer("mix")
    >>> [v.name for v in merged_mix.weights], merged_mix.lora_enabled
    (['kernel', 'bias'], False)
    >>> x, _ = architectures.lora_data(4)
    >>> bool(np.allclose(merged(x), model(x), atol=1e-5))  # the same predictions
    True
    >>> [v.name for v in mix.weights]  # the LoRA model is left as it was
    ['kernel', 'bias', 'lora_kernel_a', 'lora_kernel_b']

Run `make kata N=27` to check your work, `make hint N=27` if you are stuck.
"""
import keras


def merge_lora(model: keras.Model) -> keras.Model:
    raise NotImplementedError("rebuild the model without LoRA, with W + (alpha/rank) A @ B")
