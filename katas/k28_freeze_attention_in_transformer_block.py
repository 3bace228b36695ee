"""Kata 28: freeze the attention of a Transformer encoder block, train the rest.

Why it matters
--------------
A Transformer encoder block has two parts, each followed by a residual Add and a
LayerNormalization: multi-head self-attention, which mixes information across the positions of a
sequence, and a feed-forward part (two Dense layers) applied to each position on its own.
Parameter-efficient fine-tuning trains a chosen part of a pretrained network and freezes the rest;
one choice is to freeze the attention and train the feed-forward part and the norms (katas 25-27
show another one, LoRA).

`keras.layers.MultiHeadAttention` is one layer with four more inside it, its projections:
`query_dense`, `key_dense`, `value_dense` and `output_dense`, EinsumDense layers (not Dense) whose
variables are `query/kernel`, `query/bias`, ..., `attention_output/bias`. `model.layers` lists the
attention layer, never its projections. A block subclassed from `keras.layers.Layer` hides even
more: it is one entry of `model.layers`, with its attention and feed-forward layers inside it, and
a `keras.layers.Layer` has no public list of the layers inside it (a `keras.Model` has `.layers`).
Keras builds `Model.layers` itself from `layer._flatten_layers()`, a private method: it returns
`layer` (unless `include_self=False`) and every layer inside it at any depth, nested models,
subclassed blocks and an attention layer's projections included.

Freezing the attention layer (`attention.trainable = False`) freezes its four projections with it,
as freezing a nested model freezes its layers (kata 6). The trap is in the other half of the task:
a loop that makes "every other layer" trainable also reaches the projections, which are layers
too, and sets them back to True. Then `attention.trainable_weights` is empty (its own flag is
False), yet the projections' kernels are in `model.trainable_weights` and `fit()` trains them, as it
trains a layer set trainable inside a frozen nested model (kata 7). So look at the variables:
`attention.trainable_weights`, each projection's `trainable_weights` and `model.trainable_weights`.

Frozen is not inference (kata 18): a MultiHeadAttention built with `dropout=0.1` drops attention
scores at random whenever it runs in training mode (`fit()` calls the model with `training=True`),
frozen or not. Freezing decides which weights the optimizer changes, not how a layer computes; the
attention's dropout goes on regularising the layers that train.

Your task
---------
Write `freeze_attention(model)`:

* Freeze every `keras.layers.MultiHeadAttention` layer of `model` (subclasses included), wherever
  it is: in `model.layers`, in a nested model, or inside a layer subclassed from
  `keras.layers.Layer` (a block that keeps its attention as an attribute). There may be several
  (a stack of blocks). Afterwards no attention layer and none of its four projections has a
  trainable weight, and none of their variables is in `model.trainable_weights`.
* Make every other layer that owns weights trainable: the feed-forward Dense layers, the
  LayerNormalization layers, and anything else (a head). The model may arrive frozen as a whole
  (`model.trainable = False`), or with its own flag True and some layers frozen one by one: then
  `model.trainable = True` does nothing at all (on the TensorFlow backend, assigning a flag the
  value it already has is a no-op, kata 8). An attention layer may arrive frozen too.
* Change nothing but trainable flags: no weight, and no setting of any layer (the attention's
  dropout still drops in training mode).
* Return the number of parameters of the attention layers (the sum of their `count_params()`),
  those that arrived frozen included. A model without attention has nothing to freeze: return 0,
  with every layer trainable.

After your function, a training step leaves every variable of every attention layer exactly as it
was, and changes every variable of the feed-forward layers, the norms and the head.

Example
-------
    >>> from keras import layers
    >>> inputs = keras.Input((4, 8))  # 4 positions, each a vector of 8
    >>> attention = layers.MultiHeadAttention(num_heads=2, key_dim=4, name="attention")
    >>> attended = layers.Add()([inputs, attention(inputs, inputs)])  # self-attention, residual
    >>> h = layers.LayerNormalization(name="norm_1")(attended)
    >>> f = layers.Dense(8, name="ffn_2")(layers.Dense(16, activation="relu", name="ffn_1")(h))
    >>> model = keras.Model(inputs, layers.LayerNormalization(name="norm_2")(layers.Add()([h, f])))
    >>> [layer.name for layer in model.layers if layer.weights]  # the projections are not listed
    ['attention', 'norm_1', 'ffn_1', 'ffn_2', 'norm_2']
    >>> [layer.name for layer in attention._flatten_layers(include_self=False) if layer.weights]
    ['query', 'key', 'value', 'attention_output']
    >>> freeze_attention(model)  # 4 projections, each a kernel of 8*2*4 weights and 8 biases
    288
    >>> attention.trainable_weights, attention.output_dense.trainable_weights
    ([], [])
    >>> [v.path for v in model.trainable_weights]
    ['norm_1/gamma', 'norm_1/beta', 'ffn_1/kernel', 'ffn_1/bias', 'ffn_2/kernel', 'ffn_2/bias',
     'norm_2/gamma', 'norm_2/beta']

Run `make kata N=28` to check your work, `make hint N=28` if you are stuck.
"""
import keras


def freeze_attention(model: keras.Model) -> int:
    raise NotImplementedError("freeze every MultiHeadAttention, train every other layer, return "
                              "the attention's parameter count")
