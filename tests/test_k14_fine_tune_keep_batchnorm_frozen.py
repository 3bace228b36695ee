"""Kata 14: unfreeze a base for fine-tuning while its BatchNormalization layers stay frozen."""
import keras
import numpy as np

from dojo import zoo
from dojo.checks import (KataFailure, agree, expect, expect_flags, expect_moved_exactly,
                         qualified_names, same_float32, snapshot, weighted_leaf_layers)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k14_fine_tune_keep_batchnorm_frozen/ that break
# only it.
REQUIREMENTS = {
    "unfreeze every other layer of a base frozen layer by layer (base.trainable = True is a "
    "no-op then)": (
        "test_a_base_whose_layers_were_frozen_one_by_one", ["trusts_base_trainable_true"]),
    "the base's BatchNormalization layers end frozen (frozen after unfreezing the base)": (
        "test_a_frozen_base_is_unfrozen_but_its_batchnorm_stays_frozen",
        ["freezes_batchnorm_before_unfreezing", "relies_on_training_false"]),
    "look inside models nested in the base, functional ones included": (
        "test_a_base_whose_layers_were_frozen_one_by_one", ["recurses_only_into_sequential"]),
    "leave the layers outside the base as they are": (
        "test_a_frozen_base_is_unfrozen_but_its_batchnorm_stays_frozen",
        ["freezes_batchnorm_outside_the_base", "unfreezes_the_whole_model"]),
    "compile again: fit() reuses the training function it traced": (
        "test_a_frozen_base_is_unfrozen_but_its_batchnorm_stays_frozen", ["no_recompile"]),
    "a new Adam optimizer, not one built for the old trainable set": (
        "test_a_frozen_base_is_unfrozen_but_its_batchnorm_stays_frozen",
        ["reuses_the_old_optimizer", "builds_the_optimizer_on_the_head"]),
    "Adam with the given learning rate": (
        "test_a_frozen_base_is_unfrozen_but_its_batchnorm_stays_frozen",
        ["ignores_the_learning_rate"]),
    "the default learning rate is 1e-5": (
        "test_the_default_learning_rate_is_1e_5", ["changes_the_default_learning_rate"]),
    "keep the loss the model was compiled with (model.loss, arguments included)": (
        "test_a_frozen_base_is_unfrozen_but_its_batchnorm_stays_frozen",
        ["hard_codes_the_loss", "rebuilds_the_loss_from_the_compile_config",
         "recompiles_without_the_loss"]),
    "keep the metrics the model was compiled with": (
        "test_a_frozen_base_is_unfrozen_but_its_batchnorm_stays_frozen", ["drops_the_metrics"]),
    "return the same model, weights untouched": (
        "test_a_frozen_base_is_unfrozen_but_its_batchnorm_stays_frozen", ["returns_nothing"]),
}


def stage_one(base, freeze, x, y, loss, metrics, units=1, activation=None, outside=False):
    """What the function receives: the keras.io recipe, compiled and trained with a frozen base.

    The base is called with training=False, as the guide does. Training once matters: before the
    first fit() a changed flag takes effect even without a recompile, so only a model whose train
    function is already traced shows a missing recompile. With `outside`, the model also has
    layers outside the base that the function must leave alone: a "stem" Dense layer before the
    base, frozen on purpose, and a trainable BatchNormalization layer "head_bn" in the head.
    """
    inputs = keras.Input(base.input_shape[1:])
    h = inputs
    if outside:
        stem = keras.layers.Dense(base.input_shape[-1], activation="tanh", name="stem")
        h = stem(h)
        stem.trainable = False
    h = base(h, training=False)
    if outside:
        h = keras.layers.BatchNormalization(name="head_bn")(h)
    outputs = keras.layers.Dense(units, activation=activation, name="head")(h)
    model = keras.Model(inputs, outputs, name=f"{base.name}_with_head")
    freeze(base)
    # zoo.compile_ready_to_fit, with metrics: compile, then build the optimizer before fit().
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=loss, metrics=metrics)
    model.optimizer.build(model.trainable_variables)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    return model


def freeze_as_a_whole(base):
    base.trainable = False


def freeze_layer_by_layer(base):
    for layer in base.layers:  # base.trainable itself stays True; "block" freezes its own layers
        layer.trainable = False


def describe(loss):
    if isinstance(loss, str) or loss is None:
        return repr(loss)
    return f"a {type(loss).__name__} object"


def unfreeze(kata, model, base, **kwargs):
    result = kata.unfreeze_for_fine_tuning(model, base, **kwargs)
    expect(result is model,
           f"unfreeze_for_fine_tuning must return the model it was given, got {result!r}")
    return result


def loss_value(model, x, y):
    """The model's compiled loss on (x, y), computed eagerly (no training function traced)."""
    return float(np.asarray(model.compute_loss(x=x, y=y, y_pred=model(x, training=False))))


def check_fine_tuning(kata, model, base, x, y, learning_rate, keep_frozen=()):
    """Call the kata on a model trained with its base frozen, check it, fit, check what moved.

    `keep_frozen`: layers outside the base that arrive frozen and must stay so."""
    old_optimizer = model.optimizer
    old_loss = model.loss
    old_loss_config = model.get_compile_config()["loss"]
    old_metrics = model.get_compile_config()["metrics"]
    loss_before = loss_value(model, x, y)
    before = snapshot(model)
    unfreeze(kata, model, base, learning_rate=learning_rate)
    expect(before.unchanged(), "unfreeze_for_fine_tuning must not change any weight value")

    norms = [layer for layer in weighted_leaf_layers(base)
             if isinstance(layer, keras.layers.BatchNormalization)]
    still = {id(layer) for layer in (*norms, *keep_frozen)}
    learners = [layer for layer in weighted_leaf_layers(model) if id(layer) not in still]
    outside = {id(layer) for layer in weighted_leaf_layers(model)} - {
        id(layer) for layer in weighted_leaf_layers(base)}
    changed = [layer.name for layer in weighted_leaf_layers(model) if id(layer) in outside
               and layer.trainable == (id(layer) in still)]
    expect(not changed,
           f"unfreeze_for_fine_tuning changed the flag of layer(s) {', '.join(changed)}, outside "
           f"the base: leave every layer outside the base as it is (a layer frozen on purpose "
           f"stays frozen, a BatchNormalization layer of the head stays trainable), and set the "
           f"base's layers only")
    names = qualified_names(base)
    live = [names[id(layer)] for layer in norms if layer.trainable]
    nested = [name for name in live if "/" in name]
    expect(not live,
           f"BatchNormalization layer(s) {', '.join(live)} of the base are trainable after "
           f"unfreeze_for_fine_tuning. The model calls base(inputs, training=False), but inside "
           f"a functional model fit() overrides that: an unfrozen BatchNormalization layer "
           f"updates its moving statistics and trains gamma and beta. Set its trainable flag to "
           f"False after unfreezing the base: `base.trainable = True` on a frozen base makes every "
           f"layer inside it trainable again"
           + (f". {nested[0]} is inside a model nested in the base: look into every keras.Model "
              f"among the base's layers, Sequential or functional" if nested else ""))
    expect_flags(model, frozen=[*norms, *keep_frozen], trained=learners)

    optimizer = model.optimizer
    expect(optimizer is not old_optimizer,
           "the model still has the optimizer it was trained with before. Compile the model again "
           "(until compile(), the next fit() with the same batch size reuses the training "
           "function it traced for the frozen base, so the base does not train), with a new "
           "keras.optimizers.Adam (the old one was built for the head's variables only: a "
           "training function traced again would fail with 'Unknown variable')")
    expect(isinstance(optimizer, keras.optimizers.Adam),
           f"fine-tune with keras.optimizers.Adam, got {type(optimizer).__name__}")
    rate = float(np.asarray(optimizer.learning_rate))
    expect(same_float32(rate, learning_rate),
           f"unfreeze_for_fine_tuning(..., learning_rate={learning_rate:g}) should compile with "
           f"that learning rate, but the model's optimizer has learning_rate {rate:.6g}")
    try:
        loss_after = loss_value(model, x, y)
    except Exception as error:  # e.g. "mse" against integer class labels: shapes do not match
        raise KataFailure(
            f"the model should keep the loss it was compiled with ({describe(old_loss)}), but it "
            f"now has {describe(model.loss)}, which cannot even be computed on the model's labels "
            f"and predictions ({type(error).__name__}): pass loss=model.loss to compile()"
        ) from None
    expect(agree(loss_after, loss_before),
           f"the model should keep the loss it was compiled with ({describe(old_loss)}), but it "
           f"now has {describe(model.loss)}, which gives {loss_after:.4f} instead of "
           f"{loss_before:.4f} on the same predictions: pass loss=model.loss to compile() (a "
           f"loss rebuilt from the compile config can lose an argument, such as Huber's delta)")
    new_loss_config = model.get_compile_config()["loss"]
    expect(new_loss_config == old_loss_config,
           f"the model should keep the loss it was compiled with ({describe(old_loss)}) in its "
           f"compile config, but after unfreeze_for_fine_tuning the config has "
           f"loss={new_loss_config!r}"
           + (": compile() without loss goes on computing the old one in fit(), but model.save() "
              "stores the compile config, and the reloaded model has no loss at all"
              if new_loss_config is None else "")
           + ". Pass loss=model.loss to compile()")
    new_metrics = model.get_compile_config()["metrics"]
    why = ("compile() without metrics drops them from the model's compile config (fit() on this "
           "Keras still shows the old ones, but model.save() and a reload lose them)"
           if new_metrics is None else "they are not the same metrics")
    expect(new_metrics == old_metrics,
           f"the model was compiled with metrics={old_metrics}, but after "
           f"unfreeze_for_fine_tuning its compile config has metrics={new_metrics}: {why}. Pass "
           f"the same ones on: keras.saving.deserialize_keras_object("
           f"model.get_compile_config()['metrics']) gives them back as compile() takes them")

    try:
        # 4 steps, of the batch size of stage one: a missing recompile is not hidden by a retrace
        history = model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    except ValueError as error:
        first_line = str(error).strip().splitlines()[0]
        advice = ("An optimizer is built for the variables it first trained (here the head's "
                  "only): compile with a new keras.optimizers.Adam"
                  if "Unknown variable" in first_line
                  else "Check what unfreeze_for_fine_tuning passes to compile()")
        raise KataFailure(f"model.fit() after unfreeze_for_fine_tuning raised ValueError: "
                          f"{first_line}\n{advice}") from None
    expect_moved_exactly(before, should_move=learners,
                         during="fit() after unfreeze_for_fine_tuning (data mean far from 0)")
    reported = set(history.history) - {"loss"}
    expect(reported,
           f"fit() after unfreeze_for_fine_tuning reports no metric, only {list(history.history)}: "
           f"compile with the metrics the model was compiled with")


def flat_base():
    """Shaped like zoo.pretrained_base(), built here: these tests need no pretraining."""
    dense = keras.layers.Dense
    return keras.Sequential([keras.Input((zoo.INPUT_DIM,)),
                             dense(16, activation="tanh", name="base_dense_1"),
                             keras.layers.BatchNormalization(name="base_bn"),
                             dense(16, activation="tanh", name="base_dense_2"),
                             keras.layers.Dropout(0.2, name="base_dropout"),
                             dense(8, activation="tanh", name="base_dense_3")], name="base")


def base_with_a_nested_block():
    """A base with a functional model nested in it, and a BatchNormalization layer at both
    levels."""
    dense = keras.layers.Dense
    block_input = keras.Input((16,))
    h = dense(16, activation="tanh", name="block_dense")(block_input)
    block = keras.Model(block_input, keras.layers.BatchNormalization(name="block_bn")(h),
                        name="block")
    return keras.Sequential([keras.Input((zoo.INPUT_DIM,)),
                             dense(16, activation="tanh", name="base_dense_1"),
                             keras.layers.BatchNormalization(name="base_bn"),
                             block,
                             dense(8, activation="tanh", name="base_dense_2")], name="base")


def test_a_frozen_base_is_unfrozen_but_its_batchnorm_stays_frozen(kata):
    base = flat_base()
    x, y = zoo.regression_data(32, seed=7)
    x = x * 3 + 5
    # Huber(delta=0.5): rebuilt from the compile config, it would come back with delta 1.0
    model = stage_one(base, freeze_as_a_whole, x, y, loss=keras.losses.Huber(delta=0.5),
                      metrics=["mae"], outside=True)
    check_fine_tuning(kata, model, base, x, y, learning_rate=1e-3,
                      keep_frozen=[model.get_layer("stem")])


def test_a_base_whose_layers_were_frozen_one_by_one(kata):
    base = base_with_a_nested_block()
    x, y = zoo.classification_data(32, classes=3, seed=8)
    x = x * 3 + 5
    loss = keras.losses.SparseCategoricalCrossentropy()
    metrics = [keras.metrics.SparseCategoricalAccuracy(name="acc")]
    model = stage_one(base, freeze_layer_by_layer, x, y, loss=loss, metrics=metrics, units=3,
                      activation="softmax")
    check_fine_tuning(kata, model, base, x, y, learning_rate=1e-3)


def test_the_default_learning_rate_is_1e_5(kata):
    base = flat_base()
    inputs = keras.Input(base.input_shape[1:])
    model = keras.Model(inputs, keras.layers.Dense(1)(base(inputs, training=False)))
    base.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    unfreeze(kata, model, base)
    optimizer = model.optimizer
    rate = float(np.asarray(optimizer.learning_rate)) if optimizer is not None else None
    expect(rate is not None and same_float32(rate, 1e-5),
           f"unfreeze_for_fine_tuning(model, base) without a learning_rate should compile with the "
           f"default 1e-5, but the model's optimizer has learning_rate {rate}")
