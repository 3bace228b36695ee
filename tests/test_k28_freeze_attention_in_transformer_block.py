"""Kata 28: freeze the attention of a Transformer encoder block, train the rest.

The models are dojo.architectures' encoder blocks (width 8, 2 heads, key_dim 4, feed-forward 16).
Speed: a traced fit() of them costs 0.7-0.9 s, so weights move in one eager training step
(dojo.architectures.train_one_step: the model called with training=True and the gradients of
model.trainable_variables, the step fit() takes), 0.03-0.1 s. Attention hides its projections
inside one layer, so every check reads variables: each attention layer's and each projection's
trainable_weights, and model.trainable_weights.
"""
import keras
import numpy as np

from dojo import architectures
from dojo.checks import KataFailure, agree, count_scalars, expect, snapshot, trainable_ids

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k28_freeze_attention_in_transformer_block/ that
# break only it.
REQUIREMENTS = {
    "freeze each attention layer with its four projections (query, key, value, output)": (
        "test_a_functional_block_trains_everything_but_its_attention",
        ["freezes_query_key_value_only", "unfreezes_the_projections_inside_attention",
         "freezes_attention_before_unfreezing_the_model"]),
    "find attention at any depth: inside a block subclassed from keras.layers.Layer": (
        "test_a_stack_of_subclassed_blocks_frozen_as_a_whole",
        ["walks_model_layers_only", "searches_only_the_top_level"]),
    "every MultiHeadAttention layer, subclasses included": (
        "test_a_subclass_of_multi_head_attention_is_frozen_too", ["matches_the_class_name"]),
    "every attention layer of the model (a stack of blocks)": (
        "test_a_stack_of_subclassed_blocks_frozen_as_a_whole",
        ["freezes_only_the_first_attention"]),
    "every other layer with weights trains: feed-forward, norms, head": (
        "test_a_functional_block_trains_everything_but_its_attention",
        ["trains_only_dense_layers"]),
    "a model frozen as a whole trains afterwards": (
        "test_a_stack_of_subclassed_blocks_frozen_as_a_whole", ["leaves_the_model_frozen"]),
    "layers frozen one by one train again (model.trainable = True is a no-op then)": (
        "test_a_nested_encoder_with_layers_frozen_one_by_one", ["trusts_model_trainable_true"]),
    "return the attention layers' parameter count, those that arrived frozen included": (
        "test_a_nested_encoder_with_layers_frozen_one_by_one",
        ["counts_attention_variables", "counts_only_the_attention_it_froze"]),
    "a model without attention: every layer trains, return 0": (
        "test_a_model_without_attention_trains_every_layer", ["multiplies_the_first_count"]),
    "change nothing but trainable flags (the attention's dropout still drops in training)": (
        "test_only_flags_change_and_the_attention_still_drops_in_training",
        ["switches_attention_dropout_off"]),
}

ROLES = ("query", "key", "value", "output")


def attention_layers(model):
    return [layer for layer in model._flatten_layers(include_self=False)
            if isinstance(layer, keras.layers.MultiHeadAttention)]


def projections(attention):
    return dict(zip(ROLES, (attention.query_dense, attention.key_dense, attention.value_dense,
                            attention.output_dense)))


def owners(model):
    """Every layer inside `model` that owns weights itself (no layer inside it does), in the order
    of model.weights (layer order)."""
    found = [layer for layer in model._flatten_layers(include_self=False) if layer.weights
             and not any(inner.weights for inner in layer._flatten_layers(include_self=False))]
    position = {id(v): i for i, v in enumerate(model.weights)}
    return sorted(found, key=lambda layer: position[id(layer.weights[0])])


def other_layers(model):
    """The layers that must train: every owner of weights outside the attention layers."""
    inside = {id(layer) for attention in attention_layers(model)
              for layer in attention._flatten_layers()}
    return [layer for layer in owners(model) if id(layer) not in inside]


def weight_map(model) -> str:
    """Per layer that owns weights: its path, type, flag, and its parameters fit() trains."""
    live = trainable_ids(model)
    rows = [("layer", "type", "flag", "in model.trainable_weights", "frozen")]
    for layer in owners(model):
        trains = [v for v in layer.weights if id(v) in live]
        frozen = [v for v in layer.weights if id(v) not in live]
        rows.append((layer.path, type(layer).__name__, str(layer.trainable),
                     str(count_scalars(trains)), str(count_scalars(frozen))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    return (f"Weights of '{model.name}' (model.trainable is {model.trainable}):\n"
            + "\n".join("  " + line for line in lines))


def fail(problems, model):
    rest = "".join(f"\n  - {p}" for p in problems[1:])
    raise KataFailure(f"{problems[0]}{rest}\n\n{weight_map(model)}")


def expect_attention_frozen(model):
    live = trainable_ids(model)
    everywhere = attention_layers(model)
    problems = []
    for attention in everywhere:
        own = [v.path for v in attention.trainable_weights]
        inner = [f"{role} ({layer.name})" for role, layer in projections(attention).items()
                 if layer.trainable_weights]
        in_model = [v.path for v in attention.weights if id(v) in live]
        if own and len(own) < len(attention.weights):
            idle = [role for role, layer in projections(attention).items()
                    if layer.trainable_weights]
            problems.append(f"attention layer '{attention.path}' still trains its "
                            f"{' and '.join(idle)} projection(s) ({', '.join(own)}): freeze the "
                            f"whole attention layer (attention.trainable = False), its query, key, "
                            f"value and output projections together")
        elif own:
            where = ("" if any(attention is layer for layer in model.layers) else
                     f" It is not an entry of model.layers: it sits inside "
                     f"'{attention.path.rsplit('/', 1)[0]}', so search every layer at any depth "
                     f"(layer._flatten_layers()); the model has {len(everywhere)} attention "
                     f"layer(s): freeze each.")
            problems.append(f"attention layer '{attention.path}' is not frozen: all its weights "
                            f"train ({', '.join(own[:2])}, ...). Freeze it "
                            f"(attention.trainable = False) after making the rest trainable: "
                            f"setting the model, or a block around the attention, False then True "
                            f"makes every layer inside it trainable again.{where}")
        elif inner:
            problems.append(f"attention layer '{attention.path}' looks frozen "
                            f"(attention.trainable_weights is []), but its projection(s) "
                            f"{', '.join(inner)} still have trainable weights, and fit() trains "
                            f"them. They are layers inside the attention layer: a loop that makes "
                            f"every other layer trainable reaches them too. Freeze the attention "
                            f"after making the rest trainable, and leave the layers inside it "
                            f"alone")
        elif in_model:
            problems.append(f"variables {', '.join(in_model)} of attention layer "
                            f"'{attention.path}' are in model.trainable_weights: fit() trains them")
    if problems:
        fail(problems, model)


def expect_others_train(model, arrived_frozen=()):
    if not model.trainable:
        fail(["after freeze_attention(model), model.trainable is still False: a frozen model "
              "hides every weight inside it from fit(), whatever the flags of its layers, so "
              "nothing trains. Make the model trainable too (model.trainable = True on a frozen "
              "model also makes every layer inside it trainable: freeze the attention after "
              "that)"], model)
    live = trainable_ids(model)
    problems = []
    for layer in other_layers(model):
        idle = [v.path for v in layer.weights if id(v) not in live]
        if not idle:
            continue
        if any(layer is other for other in arrived_frozen):
            why = ("it arrived frozen on its own while model.trainable was already True, and "
                   "then model.trainable = True does nothing on the TensorFlow backend (assigning "
                   "a flag the value it already has is a no-op): set it False then True, or set "
                   "each layer's flag")
        else:
            why = ("only the attention is frozen: the feed-forward layers, the "
                   "LayerNormalization layers and the head all train")
        problems.append(f"{type(layer).__name__} layer '{layer.path}' should train, but "
                        f"{', '.join(idle)} {'is' if len(idle) == 1 else 'are'} not in "
                        f"model.trainable_weights: {why}")
    if problems:
        fail(problems, model)


def expect_count(result, model, why):
    want = architectures.ATTENTION_PARAMETERS * len(attention_layers(model))
    expect(isinstance(result, int) and not isinstance(result, bool),
           f"freeze_attention(model) should return the attention layers' number of parameters "
           f"(an int), got {result!r}")
    expect(want or result == 0,
           f"freeze_attention(model) on a model without attention should return 0, got {result}")
    expect(result == want,
           f"freeze_attention(model) should return {want}, the parameters of the model's "
           f"{len(attention_layers(model))} attention layer(s) ({why}; each has "
           f"{architectures.ATTENTION_PARAMETERS}: 4 projections of 64 weights and 8 biases, "
           f"attention.count_params()), got {result}")


def expect_one_step_moves_all_but_attention(model, x, y):
    """One training step: every attention variable bit-identical, every other variable moved."""
    before = snapshot(model)
    architectures.train_one_step(model, x, y)
    changes = before.changes()
    problems = []
    for attention in attention_layers(model):
        for v in attention.weights:
            if changes[id(v)] != 0.0:
                problems.append(f"{v.path} moved by {changes[id(v)]:.1e} during one training "
                                f"step: the attention must stay exactly as it was")
    for layer in other_layers(model):
        for v in layer.weights:
            if changes[id(v)] == 0.0:
                problems.append(f"{v.path} did not move during one training step: it should "
                                f"train")
    if problems:
        fail(problems, model)


def call(kata, model):
    return kata.freeze_attention(model)


def test_a_functional_block_trains_everything_but_its_attention(kata):
    model = architectures.encoder_model(blocks=1)  # every layer an entry of model.layers
    result = call(kata, model)
    expect_attention_frozen(model)
    expect_others_train(model)
    expect_count(result, model, "one attention layer")
    expect_one_step_moves_all_but_attention(model, *architectures.sequences(8))


def test_a_stack_of_subclassed_blocks_frozen_as_a_whole(kata):
    model = architectures.subclassed_encoder_model(blocks=2)  # block1, block2: EncoderBlock layers
    model.trainable = False  # as after training a head on a frozen encoder
    result = call(kata, model)
    expect_attention_frozen(model)
    expect_others_train(model)
    expect_count(result, model, "two blocks, one attention layer each")
    expect_one_step_moves_all_but_attention(model, *architectures.sequences(8))


def test_a_nested_encoder_with_layers_frozen_one_by_one(kata):
    model = architectures.nested_encoder_model()  # input, encoder (a model), pool, head
    encoder = model.get_layer("encoder")
    frozen = [encoder.get_layer(name) for name in ("block1_attention", "block1_ffn_1",
                                                   "block1_ffn_2")]
    for layer in frozen:  # model.trainable and encoder.trainable stay True
        layer.trainable = False
    result = call(kata, model)
    expect_attention_frozen(model)
    expect_others_train(model, arrived_frozen=frozen)
    expect_count(result, model, "its attention arrived frozen, and it counts too")
    expect_one_step_moves_all_but_attention(model, *architectures.sequences(8))


def test_only_flags_change_and_the_attention_still_drops_in_training(kata):
    model = architectures.encoder_model(blocks=1, dropout=0.5)
    x, _ = architectures.sequences(8)
    inference = keras.ops.convert_to_numpy(model(x, training=False))
    before = snapshot(model)
    call(kata, model)
    expect(before.unchanged(), "freeze_attention must not change any weight value: it only sets "
                               "trainable flags")
    expect(agree(keras.ops.convert_to_numpy(model(x, training=False)), inference),
           "after freeze_attention the model computes something else in inference mode: only "
           "trainable flags should change")
    first, second = (keras.ops.convert_to_numpy(model(x, training=True)) for _ in range(2))
    expect(not np.allclose(first, second),
           "after freeze_attention, two calls of the model in training mode on the same input "
           "give the same output: the attention's dropout (dropout=0.5) no longer drops. Freezing "
           "is not inference (kata 18): a frozen layer still runs in training mode during fit(), "
           "and its dropout goes on regularising the layers that train. Change only trainable "
           "flags")


class CachedAttention(keras.layers.MultiHeadAttention):
    """A subclass of MultiHeadAttention, as libraries write them (KerasHub's attention with a
    cache, say): it is attention too."""


def test_a_subclass_of_multi_head_attention_is_frozen_too(kata):
    inputs = keras.Input(architectures.SEQUENCE_SHAPE)
    attention = CachedAttention(architectures.ATTENTION_HEADS, architectures.ATTENTION_KEY_DIM,
                                name="cached_attention")
    h = keras.layers.LayerNormalization(name="norm")(
        keras.layers.Add()([inputs, attention(inputs, inputs)]))
    pooled = keras.layers.GlobalAveragePooling1D()(h)
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(pooled))
    result = call(kata, model)
    expect(not attention.trainable_weights,
           "attention layer 'cached_attention' is an instance of a subclass of "
           "keras.layers.MultiHeadAttention, and it still trains: find attention layers with "
           "isinstance(layer, keras.layers.MultiHeadAttention), which matches subclasses, not by "
           "the class or its name")
    expect_attention_frozen(model)
    expect_others_train(model)
    expect_count(result, model, "one attention layer, of a subclass")


def test_a_model_without_attention_trains_every_layer(kata):
    inputs = keras.Input(architectures.SEQUENCE_SHAPE)
    h = keras.layers.Dense(architectures.FEED_FORWARD_UNITS, name="dense")(inputs)
    h = keras.layers.LayerNormalization(name="norm")(h)
    pooled = keras.layers.GlobalAveragePooling1D()(h)
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(pooled))
    model.trainable = False
    try:
        result = call(kata, model)
    except Exception as error:
        raise KataFailure(f"freeze_attention(model) on a model without attention raised "
                          f"{type(error).__name__}: {error}. There is nothing to freeze: make "
                          f"every layer trainable and return 0") from None
    expect_others_train(model)
    expect_count(result, model, "none")
