"""Behaviours of the installed Keras that katas 24 and 28 state, checked on every `make test`.

Each docstring names the kata that states the behaviour. If a Keras upgrade changes one of them,
this file fails and the lesson that states it must change too. Kata 24's other rules are checked
where the katas that teach them are: the no-op of `base.trainable = True` on a base already True
(kata 8, test_facts_k06_k10.py), `training=False` not protecting an unfrozen BatchNormalization
layer inside a functional model (kata 14, test_facts_k11_k14.py), a frozen model hiding its
layers' weights (kata 1, test_facts_k01_k05.py), a layer set trainable inside a frozen nested model
being trained all the same (kata 7, test_facts_k06_k10.py).
"""
import functools

import numpy as np
import pytest

from dojo import architectures
from dojo.checks import agree

keras = pytest.importorskip("keras")


@functools.cache
def mobilenet():
    """The katas' MobileNetV2 (alpha 0.35, 32x32x3), built once for this file."""
    return architectures.mobilenet_v2()


def block_number(name):
    parts = name.split("_")
    return int(parts[1]) if parts[0] == "block" and parts[1].isdigit() else None


# --- kata 24: MobileNetV2 ------------------------------------------------------------------------


def test_mobilenet_v2_is_a_stem_16_numbered_blocks_and_a_top():
    """Kata 24's table of names: the stem (Conv1, bn_Conv1, Conv1_relu, expanded_conv_*), blocks
    block_1 to block_16, then Conv_1, Conv_1_bn, out_relu: 154 layers. Each block trains three
    convolutions (expand, depthwise, project: one kernel each, no bias), so n = 2 lists 7 layers
    and n = 16 lists 49 with Conv_1. The layers without weights are InputLayer, ReLU, Add and
    ZeroPadding2D. A prefix is not a block number: "block_1" starts the names of blocks 10-16."""
    names = [layer.name for layer in mobilenet().layers]
    assert len(names) == 154
    assert isinstance(mobilenet().layers[0], keras.layers.InputLayer)  # its name varies
    assert names[1:9] == ["Conv1", "bn_Conv1", "Conv1_relu", "expanded_conv_depthwise",
                          "expanded_conv_depthwise_BN", "expanded_conv_depthwise_relu",
                          "expanded_conv_project", "expanded_conv_project_BN"]
    assert names[9] == "block_1_expand" and names[-3:] == ["Conv_1", "Conv_1_bn", "out_relu"]
    numbers = [block_number(name) for name in names]
    assert sorted({n for n in numbers if n is not None}) == list(range(1, 17))
    assert all(n is not None for n in numbers[9:-3])  # every layer in between is in a block
    assert numbers[9:-3] == sorted(numbers[9:-3])  # blocks in order, one after the other
    for block in range(1, 17):
        convolutions = [layer for layer in mobilenet().layers if block_number(layer.name) == block
                        and layer.weights
                        and not isinstance(layer, keras.layers.BatchNormalization)]
        assert [layer.name for layer in convolutions] == [
            f"block_{block}_expand", f"block_{block}_depthwise", f"block_{block}_project"]
        assert all(len(layer.weights) == 1 for layer in convolutions)
    weightless = {type(layer).__name__ for layer in mobilenet().layers if not layer.weights}
    assert weightless == {"InputLayer", "ReLU", "Add", "ZeroPadding2D"}
    by_prefix = {block_number(name) for name in names if name.startswith("block_1")}
    assert by_prefix == {1, 10, 11, 12, 13, 14, 15, 16}


def test_include_top_adds_pooling_and_predictions_after_out_relu():
    """Kata 24: a base built with include_top=True has two more layers after block 16,
    global_average_pooling2d and the classifier "predictions" (a Dense layer); pooling="avg"
    adds only the pooling layer. The kata's test builds the same two layers on its base."""
    keras.backend.clear_session()  # Keras numbers a repeated automatic name (pooling_1, ...)
    keras.utils.set_random_seed(0)
    top = keras.applications.MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, include_top=True,
                                         weights=None, classes=3)
    assert [layer.name for layer in top.layers[-5:]] == [
        "Conv_1", "Conv_1_bn", "out_relu", "global_average_pooling2d", "predictions"]
    assert isinstance(top.layers[-1], keras.layers.Dense) and not top.layers[-2].weights
    assert len(top.layers) == 156


def test_the_tutorials_mobilenet_has_the_same_154_layers_and_index_100_splits_block_11():
    """Kata 24: TensorFlow's transfer-learning tutorial fine-tunes MobileNetV2 (alpha 1.0,
    160x160) from fine_tune_at = 100. It has the same 154 layers as the kata's (alpha 0.35,
    32x32), and layer 100 is block_11_expand_relu: the cut freezes block_11_expand (and its
    BatchNormalization) and leaves block_11_depthwise and block_11_project to train."""
    keras.utils.set_random_seed(0)
    tutorial = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False,
                                              weights=None)
    names = [layer.name for layer in tutorial.layers]
    assert len(names) == 154
    assert names[1:] == [layer.name for layer in mobilenet().layers][1:]  # [0]: the InputLayer
    assert names[100] == "block_11_expand_relu"
    assert names[98:100] == ["block_11_expand", "block_11_expand_BN"]
    assert {"block_11_depthwise", "block_11_project"} <= set(names[100:])


def test_mobilenet_names_its_batchnorm_layers_three_ways():
    """Kata 24: 52 BatchNormalization layers, named bn_Conv1, <...>_BN and Conv_1_bn: looking for
    "_BN" in the names misses bn_Conv1 and Conv_1_bn; isinstance finds all of them."""
    norms = [layer for layer in mobilenet().layers
             if isinstance(layer, keras.layers.BatchNormalization)]
    assert len(norms) == 52
    assert [layer.name for layer in norms if "_BN" not in layer.name] == ["bn_Conv1", "Conv_1_bn"]
    assert "block_5_expand_BN" in {layer.name for layer in norms}


def test_a_frozen_batchnorm_of_mobilenet_keeps_everything_through_a_training_step():
    """Kata 24: with every BatchNormalization layer frozen and the rest trainable, a training step
    (the model called with training=True) leaves each BatchNormalization layer's gamma, beta,
    moving mean and moving variance bit-identical, while the convolutions move. An unfrozen one
    updates its moving statistics in the same step."""
    base = mobilenet()
    weights = base.get_weights()
    try:
        base.trainable = False
        base.trainable = True
        norms = [layer for layer in base.layers
                 if isinstance(layer, keras.layers.BatchNormalization)]
        for layer in norms:
            layer.trainable = False
        before = {id(v): v.numpy().copy() for v in base.weights}
        architectures.train_one_step(base, architectures.images(2))
        assert all(np.array_equal(before[id(v)], v.numpy()) for layer in norms
                   for v in layer.weights)
        conv = base.get_layer("block_16_project")
        assert not np.array_equal(before[id(conv.kernel)], conv.kernel.numpy())

        top = base.get_layer("Conv_1_bn")
        top.trainable = True
        mean = top.moving_mean.numpy().copy()
        architectures.train_one_step(base, architectures.images(2))
        assert not np.array_equal(mean, top.moving_mean.numpy())
    finally:
        base.set_weights(weights)


def test_a_freshly_built_mobilenet_fades_its_signal_until_its_statistics_are_set():
    """dojo.architectures.mobilenet_v2 sets each BatchNormalization layer's statistics from one
    batch: freshly built (moving mean 0, variance 1), MobileNetV2 in inference mode gives features
    below 1e-6, too small for one step to move the top blocks; with the statistics set they are of
    order 1 and every weighted layer of the top blocks moves in one step."""
    keras.utils.set_random_seed(architectures.SEED)
    raw = keras.applications.MobileNetV2(input_shape=architectures.MOBILENET_SHAPE,
                                         alpha=architectures.MOBILENET_ALPHA, include_top=False,
                                         weights=None)
    x = architectures.images(2)
    assert float(np.abs(keras.ops.convert_to_numpy(raw(x, training=False))).max()) < 1e-6
    features = keras.ops.convert_to_numpy(mobilenet()(x, training=False))
    assert 0.1 < float(np.abs(features).mean()) < 10


# --- kata 28: attention ---------------------------------------------------------------------------


def block():
    """A functional encoder block (dojo.architectures.encoder_model) and its attention layer."""
    model = architectures.encoder_model(blocks=1)
    return model, model.get_layer("block1_attention")


def test_attention_is_one_layer_with_four_einsum_dense_projections():
    """Kata 28: MultiHeadAttention keeps four EinsumDense layers (not Dense) as query_dense,
    key_dense, value_dense and output_dense, named query, key, value and attention_output, with a
    kernel and a bias each; model.layers lists the attention layer, not them. With 2 heads of
    key_dim 4 on vectors of 8: 4 x (64 + 8) = 288 parameters."""
    model, attention = block()
    projections = [attention.query_dense, attention.key_dense, attention.value_dense,
                   attention.output_dense]
    assert [layer.name for layer in projections] == ["query", "key", "value", "attention_output"]
    assert all(isinstance(layer, keras.layers.EinsumDense) for layer in projections)
    assert not any(isinstance(layer, keras.layers.Dense) for layer in projections)
    assert [v.path for v in attention.weights] == [
        f"block1_attention/{name}/{part}" for name in ("query", "key", "value", "attention_output")
        for part in ("kernel", "bias")]
    assert not any(layer is inner for layer in model.layers for inner in projections)
    assert attention.count_params() == architectures.ATTENTION_PARAMETERS == 288


def test_flatten_layers_finds_layers_inside_subclassed_blocks_and_attention():
    """Kata 28: a keras.layers.Layer has no `layers` attribute (a keras.Model has); a subclassed
    block is one entry of model.layers; `_flatten_layers()` returns the layer itself (unless
    include_self=False) and every layer inside at any depth: the block's attention, its
    projections, its norms and feed-forward layers. Model.layers is its non-recursive form."""
    model = architectures.subclassed_encoder_model(blocks=2)
    first = model.get_layer("block1")
    assert not hasattr(first, "layers") and hasattr(model, "layers")
    assert [layer.name for layer in model.layers][1:] == ["block1", "block2", "pool", "head"]
    assert model.layers == model._flatten_layers(include_self=False, recursive=False)
    inside = first._flatten_layers()
    assert inside[0] is first
    assert {layer.name for layer in inside} >= {
        "attention", "query", "key", "value", "attention_output", "norm_1", "ffn_1", "ffn_2",
        "norm_2"}
    found = [layer for layer in model._flatten_layers(include_self=False)
             if isinstance(layer, keras.layers.MultiHeadAttention)]
    assert [layer.path for layer in found] == ["block1/attention", "block2/attention"]

    nested = architectures.nested_encoder_model()
    assert [layer.path for layer in nested._flatten_layers()
            if isinstance(layer, keras.layers.MultiHeadAttention)] == ["block1_attention"]
    assert not any(isinstance(layer, keras.layers.MultiHeadAttention) for layer in nested.layers)


def test_freezing_attention_freezes_its_projections_and_a_projection_set_back_trains():
    """Kata 28: attention.trainable = False sets each projection's flag to False and empties
    their trainable_weights. Setting a projection back to True leaves attention.trainable_weights
    empty (the attention's own flag is False), yet the projection's variables are in
    model.trainable_weights and a training step moves them."""
    model, attention = block()
    attention.trainable = False
    projections = [attention.query_dense, attention.key_dense, attention.value_dense,
                   attention.output_dense]
    assert all(layer.trainable is False and layer.trainable_weights == [] for layer in projections)
    assert not {id(v) for v in attention.weights} & {id(v) for v in model.trainable_weights}

    attention.query_dense.trainable = True
    assert attention.trainable_weights == []
    trained = {id(v) for v in model.trainable_weights}
    assert {id(v) for v in attention.query_dense.weights} <= trained
    kernel = attention.query_dense.kernel.numpy().copy()
    architectures.train_one_step(model, *architectures.sequences(8))
    assert not np.array_equal(kernel, attention.query_dense.kernel.numpy())


def test_false_then_true_on_a_model_unfreezes_attention_inside_a_subclassed_block():
    """Kata 28 (the order of the two halves): after an attention layer inside a subclassed block is
    frozen, model.trainable = False then True makes it and its projections trainable again, while
    model.trainable = True alone, on a model already True, leaves a layer frozen one by one
    frozen."""
    model = architectures.subclassed_encoder_model(blocks=1)
    attention = model.get_layer("block1").attention
    attention.trainable = False
    model.trainable = False
    model.trainable = True
    assert attention.trainable and attention.output_dense.trainable_weights != []

    ffn = model.get_layer("block1").ffn_1
    ffn.trainable = False
    model.trainable = True
    assert ffn.trainable is False
    assert not {id(v) for v in ffn.weights} & {id(v) for v in model.trainable_weights}


def test_a_frozen_attention_still_drops_in_training_mode():
    """Kata 28 (and kata 18): a frozen MultiHeadAttention built with dropout still drops attention
    scores when called with training=True (two calls differ), and drops nothing with
    training=False (two calls agree). Setting its dropout layer's rate to 0 stops it."""
    model = architectures.encoder_model(blocks=1, dropout=0.5)
    attention = model.get_layer("block1_attention")
    attention.trainable = False
    x, _ = architectures.sequences(8)
    run = [keras.ops.convert_to_numpy(model(x, training=True)) for _ in range(2)]
    assert not np.allclose(run[0], run[1])
    still = [keras.ops.convert_to_numpy(model(x, training=False)) for _ in range(2)]
    assert agree(still[0], still[1])
    attention._dropout_layer.rate = 0.0
    run = [keras.ops.convert_to_numpy(model(x, training=True)) for _ in range(2)]
    assert agree(run[0], run[1])


# --- the katas' training step ---------------------------------------------------------------------


def test_the_katas_one_step_is_the_step_fit_takes():
    """Katas 24 and 28 move weights with dojo.architectures.train_one_step instead of a traced
    fit(): on the same model and batch, with SGD and the mean squared error, one fit() step
    (graph mode) gives the same weights, up to float32 round-off, and changes none of the
    variables it leaves out (a frozen attention layer's)."""
    x, y = architectures.sequences(8)
    fitted = architectures.encoder_model(blocks=1)
    stepped = architectures.encoder_model(blocks=1)  # seeded: the same weights
    for model in (fitted, stepped):
        model.get_layer("block1_attention").trainable = False
    frozen = [v.numpy().copy() for v in fitted.get_layer("block1_attention").weights]
    fitted.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    fitted.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    architectures.train_one_step(stepped, x, y, learning_rate=0.1)
    for a, b in zip(fitted.weights, stepped.weights):
        assert agree(a.numpy(), b.numpy()), a.path
    assert all(np.array_equal(before, v.numpy()) for before, v in
               zip(frozen, fitted.get_layer("block1_attention").weights))
    moved = fitted.get_layer("block1_ffn_1").kernel.numpy()
    assert not np.array_equal(moved, architectures.encoder_model(blocks=1)
                              .get_layer("block1_ffn_1").kernel.numpy())
