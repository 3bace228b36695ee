"""Kata 9: bias-only fine-tuning: train only the variables named bias."""
import keras

from dojo import zoo
from dojo.checks import count_scalars, expect, leaf_layers, qualified_names, snapshot

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k09_bias_only_fine_tuning/ that break only it.
REQUIREMENTS = {
    "every variable named bias trains, nested ones included": (
        "test_a_frozen_base_fine_tunes_only_its_biases", ["freezes_layers"]),
    "the head's kernel is frozen too (BitFit would train the whole head)": (
        "test_a_frozen_base_fine_tunes_only_its_biases", ["trains_the_head_like_bitfit"]),
    "every layer's own flag ends up True, at any depth: BatchNormalization follows the data": (
        "test_a_frozen_base_fine_tunes_only_its_biases",
        ["keeps_layer_flags", "top_level_layer_flags_only"]),
    "a nested model's own flag ends up True too": (
        "test_a_frozen_base_fine_tunes_only_its_biases", ["unfreezes_leaf_layers_only"]),
    "gamma and beta are frozen: beta is not a bias (BitFit would train LayerNormalization's)": (
        "test_every_kind_of_weight_but_bias_is_frozen_in_a_frozen_model",
        ["leaves_gamma_and_beta_trainable", "treats_beta_as_a_bias"]),
    "the variable flags are set last, after the layer flags that would overwrite them": (
        "test_every_kind_of_weight_but_bias_is_frozen_in_a_frozen_model",
        ["toggles_the_model_last", "layer_trainable_for_good_measure"]),
    "a variable named bias trains whatever layer owns it, a custom layer's too": (
        "test_every_kind_of_weight_but_bias_is_frozen_in_a_frozen_model",
        ["trains_the_bias_attributes"]),
    "return the number of scalars fit() will train": (
        "test_every_kind_of_weight_but_bias_is_frozen_in_a_frozen_model", ["counts_variables"]),
}


def expect_only_biases_trainable(model, result, call):
    names = qualified_names(model)
    trainable = {id(v) for v in model.trainable_weights}
    for layer in leaf_layers(model):
        for variable in layer.weights:
            shown = f"{names[id(layer)]}/{variable.name}"
            if variable.name == "bias":
                expect(id(variable) in trainable,
                       f"after {call}, {shown} should be in model.trainable_weights (every "
                       f"variable named bias trains), but it is not")
            else:
                expect(id(variable) not in trainable,
                       f"after {call}, {shown} should be frozen (only variables named 'bias' "
                       f"train; the head's kernel and beta too, although BitFit trains them), but "
                       f"it is still in model.trainable_weights")
    biases = [v for v in model.weights if v.name == "bias"]
    expected = count_scalars(biases)
    expect(isinstance(result, int) and not isinstance(result, bool),
           f"{call} should return the number of trainable scalars (an int), got {result!r}")
    expect(result == expected,
           f"{call} should return {expected}, the number of scalars in the {len(biases)} biases "
           f"(the sum of their sizes), got {result}")


def expect_a_fit_moves_only_biases_and_batchnorm_statistics(model):
    zoo.compile_ready_to_fit(model, keras.optimizers.Adam(1e-2), "mse")
    x, y = zoo.regression_data(64, seed=1)
    before = snapshot(model)
    model.fit(x * 3 + 5, y, epochs=1, batch_size=16, verbose=0)  # far from 0: the stats move
    changes = before.changes()
    names = qualified_names(model)
    for layer in leaf_layers(model):
        for variable in layer.weights:
            shown = f"{names[id(layer)]}/{variable.name}"
            moved = changes[id(variable)]
            if variable.name == "bias":
                expect(moved != 0.0, f"{shown} should have been trained, but it did not change "
                                     f"during fit()")
            elif variable.name in ("moving_mean", "moving_variance"):
                expect(moved != 0.0,
                       f"{shown} should keep following the data during fit(): every layer's flag "
                       f"should be True, so BatchNormalization runs in training mode (only its "
                       f"gamma and beta are frozen), but {variable.name} did not change; is "
                       f"'{names[id(layer)]}' still frozen (layer.trainable = "
                       f"{layer.trainable})?")
            else:
                expect(moved == 0.0, f"{shown} should be frozen, but it moved by {moved:.1e} "
                                     f"during fit()")


def test_a_frozen_base_fine_tunes_only_its_biases(kata):
    base = zoo.pretrained_base()  # base_dense_1, base_bn, base_dense_2, base_dropout, base_dense_3
    # A new block between the base and the head, its BatchNormalization frozen on its own (as kata
    # 13 does): neck.trainable itself stays True.
    neck = keras.Sequential([keras.Input((8,)),
                             keras.layers.Dense(8, activation="tanh", name="neck_dense"),
                             keras.layers.BatchNormalization(name="neck_bn")], name="neck")
    inputs = keras.Input((zoo.INPUT_DIM,), name="features")
    outputs = keras.layers.Dense(1, name="head")(neck(base(inputs)))
    model = keras.Model(inputs, outputs, name="model")
    base.trainable = False        # as after training the head on the frozen base
    neck.get_layer("neck_bn").trainable = False
    result = kata.train_only_biases(model)
    expect_only_biases_trainable(model, result, "train_only_biases(model)")
    listed = {id(v) for v in base.trainable_weights}
    expect(base.trainable is True and all(id(v) in listed for v in base.weights if v.name == "bias"),
           f"after train_only_biases(model), the nested model 'base' should be trainable too "
           f"(base.trainable is {base.trainable}): a nested model left frozen lists none of its "
           f"biases in base.trainable_weights, and a later base.trainable = True would make every "
           f"variable in it trainable again")
    # One fit for both: base_bn (in a base frozen as a whole) and neck_bn (frozen on its own inside
    # a trainable model) must both be back in training mode.
    expect_a_fit_moves_only_biases_and_batchnorm_statistics(model)


class Shift(keras.layers.Layer):
    """A custom layer that adds a learnt offset, a variable named after its `variable_name`
    argument and kept as `self.offset`: it has no `bias` attribute."""

    def __init__(self, variable_name, **kwargs):
        super().__init__(**kwargs)
        self.variable_name = variable_name

    def build(self, input_shape):
        self.offset = self.add_weight(shape=input_shape[-1:], initializer="zeros",
                                      name=self.variable_name)

    def call(self, inputs):
        return inputs + self.offset


def test_every_kind_of_weight_but_bias_is_frozen_in_a_frozen_model(kata):
    inputs = keras.Input((6,), dtype="int32")
    h = keras.layers.Embedding(20, 4, name="embed")(inputs)
    h = keras.layers.Conv1D(4, 3, activation="tanh", name="conv")(h)
    h = keras.layers.LayerNormalization(name="norm")(h)
    h = keras.layers.GlobalAveragePooling1D(name="pool")(h)
    # Its variable is named bias by a string made at run time, as one read from a saved config:
    # equal to "bias", but not the same str object as the literal.
    h = Shift("".join(["bi", "as"]), name="shift")(h)
    h = keras.layers.Dense(4, activation="tanh", use_bias=False, name="no_bias")(h)
    outputs = keras.layers.Dense(1, name="out")(h)
    model = keras.Model(inputs, outputs, name="text_model")
    model.trainable = False  # everything frozen, the model's own flag included
    result = kata.train_only_biases(model)
    expect_only_biases_trainable(model, result, "train_only_biases(model) on a frozen model")
    expect(result == 9, f"conv's bias (4), shift's bias (4) and out's bias (1) hold 9 scalars, "
                        f"got {result}")
