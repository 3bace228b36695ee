"""Kata 26 (debugging): "LoRA was supposed to keep the pretrained kernels, and they changed".

The bug report
--------------
A colleague fine-tunes a pretrained encoder with LoRA (kata 25): adapters on its Embedding,
EinsumDense and Dense layers, every other weight frozen. On top of the encoder sits a new head,
and `add_lora` froze it with the rest, although a new, random head must train. So the colleague
wrote `unfreeze_head` below, to unfreeze the head and nothing else. Training runs and the loss goes
down, and yet: "after training, the encoder's kernels are no longer the pretrained ones. LoRA was
supposed to keep them bit for bit: we ship only the adapters, and every task shares the
pretrained weights. And `enable_lora` froze those kernels, I checked."

Your task
---------
The code below is not a stub: it runs. Find out why it does not do what it says, and fix it. After
`unfreeze_head(model, head_names)`, `fit()` must train exactly:

* every weight of the head: the layers of `model` itself named in `head_names` (Dense layers,
  without LoRA);
* the two LoRA factors of every layer that has LoRA enabled: a layer of `model` or of a model
  nested in it, at any depth (where kata 25's `add_lora` finds its layers).

Every other variable must stay bit-identical: the kernels (embeddings) of the LoRA layers, their
biases, and every weight of every other layer. The function returns nothing; the caller compiles
and fits the model afterwards.

The model arrives in one of two states:

* as `add_lora` left it: only the LoRA factors trainable. A layer may be frozen by its flag
  (`layer.trainable = False`), or by its variables' own flags while its flag is still True
  (kata 25 allows both);
* frozen as a whole (`model.trainable = False`), say by a feature-extraction step that ran first.

Why it matters
--------------
The bug is silent: the adapters and the head train, the loss goes down, and the pretrained kernels
drift with them. The whole point of LoRA, a frozen base shared by every task, is lost, and only a
look at the kernels themselves shows it.

How to investigate
------------------
Check each step instead of guessing.

1. After `unfreeze_head`, list what `fit()` will train: `[v.path for v in
   model.trainable_weights]`. Is any kernel, embeddings or bias in it?
2. Go through the function line by line, printing `[(v.path, v.trainable) for v in
   layer.weights]` for one LoRA layer after each line. Which line changes the kernel's flag?
3. Ask what each line assigns: a layer's flag, or a variable's flag. `make hint N=26` takes you
   there one step at a time.

Example
-------
Once fixed, the encoder's LoRA layers train their factors only, and the head trains (the code
below lists the embeddings, kernels and biases of the LoRA layers too):

    >>> from dojo import architectures
    >>> model = architectures.lora_encoder_classifier()
    >>> for layer in architectures.every_layer(model):  # only the LoRA factors trainable
    ...     if layer.name in ("tokens", "mix", "features"):
    ...         layer.enable_lora(2)
    ...     for v in layer.weights:
    ...         v.trainable = v.name.startswith("lora_")
    >>> unfreeze_head(model, ["head_hidden", "head_out"])
    >>> [v.path for v in model.trainable_weights]
    ['tokens/lora_embeddings_a', 'tokens/lora_embeddings_b', 'mix/lora_kernel_a',
     'mix/lora_kernel_b', 'features/lora_kernel_a', 'features/lora_kernel_b',
     'head_hidden/kernel', 'head_hidden/bias', 'head_out/kernel', 'head_out/bias']

Run `make kata N=26` to check your work, `make hint N=26` if you are stuck.
"""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    # Unfreeze everything first. The model's flag may already be True, and then
    # `model.trainable = True` alone does nothing (kata 1): False then True reaches every layer.
    model.trainable = False
    model.trainable = True
    # Then freeze the base again, except the layers that carry LoRA adapters: their factors must
    # train, and enable_lora froze their kernels.
    for layer in _every_layer(model):
        if isinstance(layer, keras.Model) or layer.name in head_names:
            continue
        if not getattr(layer, "lora_enabled", False):
            layer.trainable = False


def _every_layer(model: keras.Model):
    """The layers of `model`, and the layers of every model nested in it, parents first."""
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _every_layer(layer)
