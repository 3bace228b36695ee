"""Kata 25: LoRA, low-rank adapters on the named layers, their kernels frozen.

Why it matters
--------------
Fine-tuning every weight of a large pretrained model costs a gradient and optimizer slots for every
weight, and a full copy of the model per task. LoRA (low-rank adaptation) keeps each pretrained
kernel W frozen and learns a correction of low rank r instead: two small factors A and B whose
product is added to the kernel, so the layer computes with W + (alpha / r) * A @ B. Only A and B
train: for a Dense kernel of shape (m, n), A is (m, r) and B is (r, n), r * (m + n) numbers
instead of m * n. One pretrained model can then carry a small adapter per task.

Keras 3 has it built in. `layer.enable_lora(rank)` on a built Dense, EinsumDense or Embedding
layer (convolutions have it too):

* adds two trainable float32 variables, `lora_kernel_a` and `lora_kernel_b` (`lora_embeddings_a`
  and `lora_embeddings_b` for an Embedding). For a kernel of shape (..., n), A has shape
  (..., rank) and B has shape (rank, n): an EinsumDense kernel (8, 2, 4) gets A (8, 2, rank);
* freezes the kernel variable itself (`embeddings` for an Embedding): that variable's own
  `trainable` becomes False. The layer's flag stays True and its bias stays trainable;
* starts B at zero, so the model computes exactly what it computed before, until training moves
  B. The layer then uses W + (lora_alpha / rank) * A @ B, and `lora_alpha` defaults to `rank`
  (a scale of 1).

What `enable_lora` does not do is freeze the rest of the model. The usual parameter-efficient
("PEFT") setup trains the adapters and nothing else, so the other layers, and the biases of the
adapted layers, are yours to freeze. Remember how freezing works (kata 9): `fit()` trains the
variables whose own `trainable` flag is True, in a model whose own flag is True; assigning a new
value to a layer's flag sets the flag of each of its variables.

Three traps:

* On a frozen layer, `enable_lora` creates the factors frozen too (their own flag False). And
  `layer.trainable = True` afterwards sets every variable of the layer trainable, the kernel
  included: it undoes the freeze of `enable_lora`. Unfreeze a layer before enabling LoRA on it,
  or set its variables' own flags afterwards.
* `enable_lora` works once per layer (a second call raises ValueError) and cannot be undone.
  `enable_lora(0)` is accepted without a word, and the layer then fails at its first call
  (ZeroDivisionError: the scale is lora_alpha / rank).
* Once LoRA is enabled, `layer.kernel` is no longer the variable but a tensor computed from it,
  W + scale * A @ B. The frozen variable is the one named "kernel" in `layer.weights`
  ("embeddings" for an Embedding).

Your task
---------
Write `add_lora(model, rank, layer_names)`:

* Enable LoRA of rank `rank` (`lora_alpha` left at its default) on every layer named in
  `layer_names`. A name is looked up in `model` and in the models nested in it, at any depth.
  The model is built of Keras's own layers, and no two of its layers share a name, the layers of
  its nested models included.
* After the call, `fit()` trains the LoRA factors of those layers and nothing else: their kernels
  (embeddings), their biases and every other layer of the model stay bit-identical.
* The model may arrive partly frozen, or frozen as a whole (`model.trainable = False`); a named
  layer may arrive frozen, on its own or inside a frozen nested model. Its factors train all the
  same, and its kernel stays frozen.
* Return the number of scalars that `fit()` now trains (an int): the sizes of the factors added,
  rank * (size(W) / n + n) per layer whose kernel W has shape (..., n), e.g. rank * (m + n) for a
  Dense kernel (m, n).
* An empty `layer_names` enables nothing: the whole model is then frozen, and the return is 0.
* Raise ValueError, before changing anything (no LoRA enabled, no flag changed), when `rank` is
  not an integer (1.5, say) or is below 1, when a name matches no layer, names a layer without
  `enable_lora` (a LayerNormalization, a nested model, ...), or names a layer that already has
  LoRA.
* Change `model` in place (the tests compile and fit it afterwards).

Example
-------
    >>> from dojo import architectures
    >>> model = architectures.lora_encoder_classifier()  # an encoder model nested in a classifier
    >>> [layer.name for layer in model.get_layer("encoder").layers[1:]]
    ['tokens', 'mix', 'merge_heads', 'norm', 'pool', 'features']
    >>> add_lora(model, 2, ["tokens", "mix", "features"])  # 2*(12+8) + 2*(16+4) + 2*(8+8)
    112
    >>> mix = model.get_layer("encoder").get_layer("mix")  # an EinsumDense
    >>> [(v.name, tuple(v.shape), v.trainable) for v in mix.weights]
    [('kernel', (8, 2, 4), False), ('bias', (4,), False),
     ('lora_kernel_a', (8, 2, 2), True), ('lora_kernel_b', (2, 4), True)]
    >>> [v.path for v in model.trainable_weights]  # what fit() trains now
    ['tokens/lora_embeddings_a', 'tokens/lora_embeddings_b', 'mix/lora_kernel_a',
     'mix/lora_kernel_b', 'features/lora_kernel_a', 'features/lora_kernel_b']
    >>> add_lora(model, 2, ["norm"])
    Traceback (most recent call last):
    ...
    ValueError: ...

Run `make kata N=25` to check your work, `make hint N=25` if you are stuck.
"""
import keras


def add_lora(model: keras.Model, rank: int, layer_names) -> int:
    raise NotImplementedError("enable LoRA on the named layers, freeze everything else, count")
