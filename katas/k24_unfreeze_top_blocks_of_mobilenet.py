"""Kata 24: unfreeze the top blocks of a real MobileNetV2, BatchNormalization frozen.

Why it matters
--------------
Practice challenge 2 asks which layers of a pretrained CNN to unfreeze for fine-tuning. The top
ones: the first layers of a CNN detect generic features (edges, colours, textures) that serve any
images, while the last ones combine them into features specific to the task it was pretrained on,
and those are what the new task needs to change. So fine-tuning unfreezes the top of the base,
keeps the bottom frozen (kata 2) and trains with a small learning rate (kata 3).

On a real network the cut should fall between its building blocks. `keras.applications.MobileNetV2`
is a stem, 16 inverted-residual blocks and a last 1x1 convolution, and its layer names say where
each layer belongs:

    Conv1, bn_Conv1, Conv1_relu, expanded_conv_depthwise, ..., expanded_conv_project_BN   the stem
    block_1_expand, block_1_expand_BN, block_1_expand_relu, ..., block_1_project_BN       block 1
    ...
    block_16_expand, ..., block_16_project_BN                                             block 16
    Conv_1, Conv_1_bn, out_relu                                                           the top
    global_average_pooling2d, predictions                 only when built with include_top=True

TensorFlow's transfer-learning tutorial fine-tunes a MobileNetV2 (alpha 1.0, 160x160 images: the
same 154 layers) with kata 8's recipe: `base.trainable = True`, then freeze
`base.layers[:fine_tune_at]` with `fine_tune_at = 100`. Layer 100 is `block_11_expand_relu`: the
cut splits block 11, whose expand convolution stays frozen while its depthwise and project
convolutions train. Cut by block number
instead, read from the name (`block_<k>_...`). Compare whole numbers, not text:
`"block_12_expand".startswith("block_1")` is True.

Every BatchNormalization layer stays frozen, those of the unfrozen blocks too: that is kata 14's
rule. Their moving mean and variance describe the pretraining data, and a frozen BatchNormalization
layer runs in inference mode even when the model trains: it neither updates its statistics nor
trains its gamma and beta (kata 18: `trainable` and `training` are two switches, and
BatchNormalization is the layer that ties them). Calling the base as `base(inputs, training=False)`
does not protect them: inside a functional model, `fit()` runs an unfrozen BatchNormalization layer
in training mode all the same (kata 14). MobileNetV2 names them three ways (`bn_Conv1`,
`block_5_expand_BN`, `Conv_1_bn`), so find them by type:
`isinstance(layer, keras.layers.BatchNormalization)`.

Your task
---------
Write `unfreeze_top_blocks(base, n)`. `base` is a `keras.applications.MobileNetV2` (any `alpha` and
input size, with or without its classifier), maybe nested in a model with a new head.

* Unfreeze the last `n` blocks (`block_<17-n>` to `block_16`) and every layer after block 16,
  whatever it is: `Conv_1`, and the classifier of a base built with `include_top=True`.
* Keep every BatchNormalization layer of the base frozen, those inside the unfrozen blocks and
  `Conv_1_bn` included.
* Freeze everything else: the stem and blocks 1 to `16-n`, also the layers that arrive trainable.
* The base may arrive frozen as a whole (`base.trainable = False`, as after training a head on it),
  or with its own flag True and some layers frozen one by one. In the second case
  `base.trainable = True` does nothing at all: on the TensorFlow backend, assigning a flag the
  value it already has is a no-op (kata 8). Set each layer's flag yourself.
* `n` goes from 0 to 16. `n = 0` unfreezes nothing: the whole base ends frozen, the layers after
  block 16 too, as for training a new head only. `n = 16` unfreezes every block; the stem stays
  frozen. Any other `n`: raise `ValueError`, before changing any flag.
* Return the names of the layers whose weights `fit()` now trains: the layers of `base.layers`
  with a variable in `base.trainable_weights`, in the order of `base.layers`. Layers without
  weights (ReLU, Add, ZeroPadding2D, pooling) are never listed, whatever their flag.

Afterwards a training step on the base, or on a model around it, changes the listed layers (and a
head) and nothing else: every other weight of the base, each BatchNormalization layer's gamma,
beta, moving mean and moving variance included, stays exactly as it was.

Example
-------
    >>> base = keras.applications.MobileNetV2(input_shape=(32, 32, 3), alpha=0.35,
    ...                                       include_top=False, weights=None)
    >>> len(base.layers), base.layers[100].name  # the tutorial's fine_tune_at = 100
    (154, 'block_11_expand_relu')
    >>> base.trainable = False  # as after training a new head on the frozen base
    >>> unfreeze_top_blocks(base, 2)  # each block trains 3 convolutions; then Conv_1
    ['block_15_expand', 'block_15_depthwise', 'block_15_project', 'block_16_expand',
     'block_16_depthwise', 'block_16_project', 'Conv_1']
    >>> base.get_layer("block_16_project_BN").trainable, base.get_layer("Conv_1_bn").trainable
    (False, False)
    >>> len(unfreeze_top_blocks(base, 16))  # 16 blocks, then Conv_1; the stem stays frozen
    49
    >>> unfreeze_top_blocks(base, 0), base.trainable_weights
    ([], [])

Run `make kata N=24` to check your work, `make hint N=24` if you are stuck.
"""
import keras


def unfreeze_top_blocks(base: keras.Model, n: int) -> list[str]:
    raise NotImplementedError("unfreeze the last n blocks and the layers after them, "
                              "BatchNormalization frozen; return the names fit() trains")
