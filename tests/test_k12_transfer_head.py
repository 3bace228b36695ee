"""Kata 12: a new classification head on a frozen base."""
import keras
import numpy as np

from dojo import zoo
from dojo.checks import (KataFailure, agree, expect, expect_flags, expect_moved_exactly,
                         leaf_layers, same_float32, snapshot, weighted_leaf_layers)

# The statement, requirement by requirement: the test that fails when only that requirement is
# broken, and the wrong answers in tests/wrong/k12_transfer_head/ that break only it.
REQUIREMENTS = {
    "freeze the base: fit() leaves every base weight bit-identical, BN statistics included": (
        "test_fit_trains_the_head_only_and_it_learns",
        ["base_not_frozen", "freezes_variables_not_layers"]),
    "the head trains and learns the task (accuracy well above chance)": (
        "test_fit_trains_the_head_only_and_it_learns", ["freezes_the_whole_model"]),
    "one softmax probability per class, num_classes=2 included": (
        "test_a_frozen_base_under_a_softmax_head",
        ["head_outputs_logits", "head_uses_sigmoid", "head_sized_like_the_features",
         "one_sigmoid_unit_for_two_classes"]),
    "start from a new keras.Input: a Sequential base never called has no output": (
        "test_a_base_that_takes_images_and_was_never_called", ["builds_on_base_output"]),
    "the model takes the base's input shape, whatever it is": (
        "test_a_base_that_takes_images_and_was_never_called", ["hard_codes_the_input_shape"]),
    "outside fit(), the model predicts in inference mode: model(x) drops nothing": (
        "test_a_frozen_base_under_a_softmax_head", ["calls_the_base_in_training_mode"]),
    "compiled, ready to fit": (
        "test_a_frozen_base_under_a_softmax_head", ["not_compiled"]),
    "Adam with learning rate 1e-2": (
        "test_a_frozen_base_under_a_softmax_head", ["uses_the_default_learning_rate"]),
    "loss: sparse categorical cross-entropy on integer labels": (
        "test_fit_trains_the_head_only_and_it_learns", ["uses_categorical_crossentropy"]),
    "metrics=['accuracy']: fit() and evaluate() report the accuracy": (
        "test_fit_trains_the_head_only_and_it_learns",
        ["forgets_the_accuracy_metric", "reports_categorical_accuracy"]),
    "do not fit: the model comes back untrained": (
        "test_a_frozen_base_under_a_softmax_head", ["trains_a_step_before_returning"]),
    "a Dropout layer in the head drops during fit()": (
        "test_fit_trains_the_head_only_and_it_learns", ["subclassed_head_dropout_never_drops"]),
}

LEARNING_RATE = 1e-2


def build(kata, base, num_classes, kind=None):
    """Call the kata and check what any correct answer returns, before anything is trained."""
    before = snapshot(base)
    try:
        model = kata.build_transfer_model(base, num_classes)
    except Exception as error:  # the learner's code failed on a base the statement allows
        first_line = (str(error).strip().splitlines() or [""])[0]
        raise KataFailure(
            f"build_transfer_model(base, {num_classes}) raised {type(error).__name__}: "
            f"{first_line}\n{kind or f'The base takes inputs of shape {base.input_shape}'}: "
            f"start from a new keras.Input(base.input_shape[1:]) and call base on it") from None
    expect(isinstance(model, keras.Model),
           f"build_transfer_model must return a keras.Model, got {model!r}")
    expect(before.unchanged(), "build_transfer_model must not change any weight value of the base")
    model(np.zeros((2, *base.input_shape[1:]), "float32"))  # a subclassed model builds on a call
    base_ids = {id(v) for v in base.weights}
    expect(base_ids <= {id(v) for v in model.weights},
           "the model does not contain the base it was given: build it on `base` itself (its "
           "layers and weights), not on a copy")
    optimizer = getattr(model, "optimizer", None)
    expect(optimizer is not None,
           "the model is not compiled: build_transfer_model must return a model ready to fit, "
           "compiled with an optimizer, a loss and metrics")
    expect(isinstance(optimizer, keras.optimizers.Adam),
           f"compile the model with keras.optimizers.Adam, got {type(optimizer).__name__}")
    rate = float(np.asarray(optimizer.learning_rate))
    expect(same_float32(rate, LEARNING_RATE),
           f"the new head should train with learning rate {LEARNING_RATE:g}, but the model's "
           f"optimizer has learning_rate {rate:.6g}")
    steps = int(np.asarray(optimizer.iterations))
    expect(steps == 0,
           f"build_transfer_model should return the model compiled but untrained, yet its "
           f"optimizer has already made {steps} training step(s): do not fit, not even on a "
           f"dummy batch (fit() on real data is the caller's job)")
    return model


def head_layers(model, base):
    """The weighted layers the answer added: every weighted leaf layer that is not the base's."""
    base_layers = {id(layer) for layer in weighted_leaf_layers(base)}
    head = [layer for layer in weighted_leaf_layers(model) if id(layer) not in base_layers]
    expect(head, "the model has no new layer with weights: add a Dense head on top of the base")
    return head


def expect_class_probabilities(model, x, num_classes):
    probabilities = np.asarray(model(x, training=False))
    expect(probabilities.shape == (len(x), num_classes),
           f"with num_classes={num_classes} the model should output {num_classes} values per "
           f"sample, one probability per class, shape ({len(x)}, {num_classes}) for {len(x)} "
           f"samples, but it outputs shape {probabilities.shape}"
           + (": two classes get two softmax units too, not one sigmoid unit"
              if num_classes == 2 else ""))
    expect(np.all(probabilities >= 0) and agree(probabilities.sum(axis=1), 1.0),
           f"each row of the model's output should be a probability distribution over the classes "
           f"(non-negative, summing to 1: a softmax), but the first row is "
           f"{[round(float(p), 3) for p in probabilities[0]]} (sum {probabilities[0].sum():.3f})")
    called = np.asarray(model(x))
    # The same math on the same batch: model(x) without a training argument must run in inference
    # mode, as model(x, training=False) does; Dropout active instead changes rows by 0.1 or more.
    expect(agree(called, probabilities),
           f"model(x) without a training argument should predict in inference mode, like "
           f"model.predict(x), but it gives other probabilities (largest difference "
           f"{np.max(np.abs(called - probabilities)):.3f}): the base's Dropout drops outside fit(). "
           f"Call the base with training=False or without a training argument, not training=True")


def test_a_frozen_base_under_a_softmax_head(kata):
    for num_classes in (5, 2):
        base = zoo.pretrained_base()
        model = build(kata, base, num_classes)
        expect_flags(model, frozen=weighted_leaf_layers(base), trained=head_layers(model, base))
        x, _ = zoo.classification_data(16, classes=num_classes, seed=2)
        expect_class_probabilities(model, x, num_classes)


def base_that_takes_images():
    """A Sequential base for 8x8 images that was never called: it has no `base.output`."""
    return keras.Sequential([keras.Input(zoo.IMAGE_SHAPE),
                             keras.layers.Conv2D(4, 3, padding="same", name="conv"),
                             keras.layers.BatchNormalization(name="conv_bn"),
                             keras.layers.GlobalAveragePooling2D(name="pool"),
                             keras.layers.Dense(8, activation="tanh", name="features")],
                            name="image_base")


def test_a_base_that_takes_images_and_was_never_called(kata):
    base = base_that_takes_images()
    model = build(kata, base, num_classes=3,
                  kind=f"This base is a Sequential model that takes 8x8 images (input shape "
                       f"{base.input_shape}) and was never called, so it has no base.output")
    expect_flags(model, frozen=weighted_leaf_layers(base), trained=head_layers(model, base))
    x, _ = zoo.image_data(16, seed=5)
    expect_class_probabilities(model, x, num_classes=3)


class TrainingModeSpy:
    """Records the `training` mode that a layer's call() receives (Keras resolves it first)."""

    def __init__(self, layer):
        self.modes = []
        original = layer.call

        def call(inputs, training=None, **kwargs):
            self.modes.append(training)
            return original(inputs, training=training, **kwargs)

        layer.call = call


def test_fit_trains_the_head_only_and_it_learns(kata):
    base = zoo.pretrained_base()
    model = build(kata, base, num_classes=3)
    head = head_layers(model, base)
    base_ids = {id(layer) for layer in leaf_layers(base)}
    spies = {layer.name: TrainingModeSpy(layer) for layer in leaf_layers(model)
             if isinstance(layer, keras.layers.Dropout) and id(layer) not in base_ids}
    x, y = zoo.classification_data(64, classes=3, seed=3, shift=3.0)  # mean far from 0
    before = snapshot(model)
    try:
        model.fit(x, y, epochs=10, batch_size=8, verbose=0)
    except ValueError as error:
        first_line = str(error).strip().splitlines()[0]
        raise KataFailure(
            f"model.fit(x, labels) raised ValueError: {first_line}\nThe labels are integers "
            f"0 .. num_classes - 1, one per sample (not one-hot vectors): check the loss") from None
    expect_moved_exactly(before, should_move=head)
    for name, spy in spies.items():
        expect(spy.modes and all(mode is True for mode in spy.modes),
               f"the head's Dropout layer {name!r} ran in inference mode during fit() (its call "
               f"got training={spy.modes[0] if spy.modes else None!r}), so it never dropped. In a "
               f"subclassed call(), "
               f"`self.base(x, training=False)` stays in force for every later layer called "
               f"without a training argument: pass training=training to the head's layers")

    # Labels that disagree with the task for every other sample: the accuracy of a model that
    # learned the task is then about 0.5, so a metric other than the accuracy shows.
    y_other = y.copy()
    y_other[::2] = (y[::2] + 1) % 3
    results = model.evaluate(x, y_other, verbose=0, return_dict=True)
    probabilities = np.asarray(model(x, training=False))  # predict()'s numbers, without a trace
    expected = float(np.mean(keras.losses.sparse_categorical_crossentropy(y_other, probabilities)))
    # evaluate() averages batch by batch, this line all at once: a float32 sum in another order.
    # Measured 1e-7 relative (oneDNN on and off); the wrong losses differ by 10% or more.
    expect(np.isclose(results["loss"], expected, rtol=1e-3, atol=1e-4),
           f"the model's loss should be the sparse categorical cross-entropy of its predictions "
           f"({expected:.4f} on the test labels), but evaluate() reports {results['loss']:.4f}: "
           f"compile with loss='sparse_categorical_crossentropy' (the head already applies "
           f"softmax)")
    metrics = {key: float(value) for key, value in results.items() if key != "loss"}
    expect(metrics,
           f"fit() and evaluate() should report the accuracy (compile with "
           f"metrics=['accuracy']), but evaluate() reported only {list(results)}")
    accuracy_other = float(np.mean(np.argmax(probabilities, axis=1) == y_other))
    expect(any(agree(value, accuracy_other) for value in metrics.values()),
           f"the model should report its accuracy, the fraction of samples whose most probable "
           f"class is the label ({accuracy_other:.3f} on the test labels), but evaluate() reports "
           f"{', '.join(f'{k}={v:.3f}' for k, v in metrics.items())}: compile with "
           f"metrics=['accuracy'] (for integer labels Keras then counts sparse categorical "
           f"accuracy)")
    accuracy = float(np.mean(np.argmax(probabilities, axis=1) == y))
    # The solution reaches 1.00 (oneDNN on and off): the classes are far apart, so round-off in
    # training cannot bring it near 0.75, while a head that does not learn stays near 1/3.
    expect(accuracy >= 0.75,
           f"after 10 epochs the head should classify this separable task well above chance "
           f"(1/3), but its accuracy on the training data is {accuracy:.2f}")
