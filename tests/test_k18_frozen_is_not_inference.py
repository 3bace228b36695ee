"""Kata 18: frozen is not inference: deterministic features from a base with Dropout."""
import keras
import numpy as np

from dojo.checks import agree, expect, leaf_layers, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k18_frozen_is_not_inference/ that break only it.
REQUIREMENTS = {
    "return a numpy array": ("test_features_from_a_trainable_base", ["returns_a_tensor"]),
    "inference mode, trainable or frozen base: the same features every call, equal to "
    "base(x, training=False), BatchNormalization statistics untouched": (
        "test_features_from_a_trainable_base",
        ["calls_with_training_true", "trusts_trainable_false", "freezes_the_dropout_layers"]),
    "leave the trainable flags as they were, a partly frozen base's too": (
        "test_features_from_a_partly_frozen_functional_base",
        ["leaves_the_base_frozen", "freezes_for_the_call_and_restores_the_flag"]),
    "work for any base model, a functional one too": (
        "test_features_from_a_partly_frozen_functional_base", ["applies_the_layers_one_by_one"]),
}


def base_with_dropout():
    """layers: dense_1, bn, dropout (rate 0.5), features."""
    layers = keras.layers
    return keras.Sequential([
        keras.Input((8,)),
        layers.Dense(16, activation="tanh", name="dense_1"),
        layers.BatchNormalization(name="bn"),
        layers.Dropout(0.5, name="dropout"),
        layers.Dense(8, activation="tanh", name="features"),
    ], name="base")


def functional_base_with_dropout():
    """The same layers in a functional model, whose model.layers starts with its InputLayer."""
    layers = keras.layers
    inputs = keras.Input((8,), name="input")
    h = layers.Dense(16, activation="tanh", name="dense_1")(inputs)
    h = layers.BatchNormalization(name="bn")(h)
    h = layers.Dropout(0.5, name="dropout")(h)
    return keras.Model(inputs, layers.Dense(8, activation="tanh", name="features")(h), name="base")


def data(n=64, seed=0):
    # A mean far from 0: a BatchNormalization layer in training mode visibly moves its statistics.
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 8)) * 3 + 5).astype("float32")


def flags_of(base):
    return [base.trainable] + [layer.trainable for layer in leaf_layers(base)]


def names_of(base):
    return ["base"] + [layer.name for layer in leaf_layers(base)]


def check_features(kata, base, x, state):
    flags = flags_of(base)
    before = snapshot(base)

    first = kata.extract_features(base, x)
    expect(isinstance(first, np.ndarray),
           f"extract_features must return a numpy array (np.ndarray), got {type(first).__name__}; "
           f"keras.ops.convert_to_numpy(...) or np.asarray(...) converts a tensor")
    second = kata.extract_features(base, x)
    changes = before.changes()
    for saved in before.states:
        change = changes[id(saved.variable)]
        expect(change == 0.0,
               f"extract_features must not change the base, but the {saved.short_name} of layer "
               f"'{saved.layer_name}' moved by {change:.1e} ({state}). A base that is not frozen, "
               f"called in training mode, updates its BatchNormalization moving statistics")
    expect(agree(first, np.asarray(second)),
           f"two calls of extract_features on the same input returned different features ({state}): "
           f"Dropout is still dropping units at random. Freezing does not switch it off; running "
           f"the base in inference mode (training=False) does")
    expect(first.shape == (len(x), 8),
           f"the base gives 8 features per sample, so for {len(x)} samples extract_features should "
           f"return shape {(len(x), 8)}, got {first.shape}")
    reference = keras.ops.convert_to_numpy(base(x, training=False))
    worst = float(np.max(np.abs(first - reference)))
    expect(agree(first, reference),
           f"the features should equal base(x, training=False) ({state}), but they differ by up to "
           f"{worst:.2e}")
    now = flags_of(base)
    unfrozen = any(after and not was for was, after in zip(flags, now))
    expect(now == flags,
           f"extract_features must leave the base's trainable flags as they were ({state}), but "
           f"they changed from {flags} to {now} (for {names_of(base)}). Leave them alone, not "
           f"even for the call: the training argument, not trainable, picks inference mode"
           + (". Setting base.trainable to False and back to True makes every layer of the base "
              "trainable again, one that arrived frozen too" if unfrozen else ""))


def test_features_from_a_trainable_base(kata):
    base = base_with_dropout()  # as loaded: base.trainable is True
    check_features(kata, base, data(), "base.trainable is True")


def test_features_from_a_frozen_base(kata):
    base = base_with_dropout()
    base.trainable = False  # frozen, yet its Dropout still drops in training mode
    check_features(kata, base, data(seed=1), "base.trainable is False")


def test_features_from_a_partly_frozen_functional_base(kata):
    base = functional_base_with_dropout()
    base.get_layer("dense_1").trainable = False  # the base itself stays trainable
    check_features(kata, base, data(seed=2), "a functional base with dense_1 frozen")
