"""Kata 12: a new classification head on a frozen base."""
import keras
import numpy as np

from dojo import zoo
from dojo.checks import (KataFailure, agree, expect, expect_flags, expect_moved_exactly,
                         same_float32, snapshot, weighted_leaf_layers)

LEARNING_RATE = 1e-2


def build(kata, base, num_classes):
    """Call the kata and check what any correct answer returns, before anything is trained."""
    before = snapshot(base)
    model = kata.build_transfer_model(base, num_classes)
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
    return model


def head_layers(model, base):
    """The weighted layers the answer added: every weighted leaf layer that is not the base's."""
    base_layers = {id(layer) for layer in weighted_leaf_layers(base)}
    head = [layer for layer in weighted_leaf_layers(model) if id(layer) not in base_layers]
    expect(head, "the model has no new layer with weights: add a Dense head on top of the base")
    return head


def test_a_frozen_base_under_a_softmax_head(kata):
    base = zoo.pretrained_base()
    model = build(kata, base, num_classes=5)
    expect_flags(model, frozen=weighted_leaf_layers(base), trained=head_layers(model, base))
    x, _ = zoo.classification_data(16, classes=5, seed=2)
    probabilities = np.asarray(model.predict(x, verbose=0))
    expect(probabilities.shape == (16, 5),
           f"with num_classes=5 the model should output 5 values per sample, shape (16, 5) for 16 "
           f"samples, but it outputs shape {probabilities.shape}")
    expect(np.all(probabilities >= 0) and agree(probabilities.sum(axis=1), 1.0),
           f"each row of the model's output should be a probability distribution over the classes "
           f"(non-negative, summing to 1: a softmax), but the first row is "
           f"{[round(float(p), 3) for p in probabilities[0]]} (sum {probabilities[0].sum():.3f})")


def test_fit_trains_the_head_only_and_it_learns(kata):
    base = zoo.pretrained_base()
    model = build(kata, base, num_classes=3)
    head = head_layers(model, base)
    x, y = zoo.classification_data(64, classes=3, seed=3, shift=3.0)  # mean far from 0
    before = snapshot(model)
    try:
        history = model.fit(x, y, epochs=10, batch_size=8, verbose=0)
    except ValueError as error:
        first_line = str(error).strip().splitlines()[0]
        raise KataFailure(
            f"model.fit(x, labels) raised ValueError: {first_line}\nThe labels are integers "
            f"0 .. num_classes - 1, one per sample (not one-hot vectors): check the loss") from None
    expect_moved_exactly(before, should_move=head)
    keys = list(history.history)
    expect(any("accuracy" in key or key == "compile_metrics" for key in keys),
           f"fit() should report the accuracy (compile with metrics=['accuracy']), but it "
           f"reported only {keys}")
    results = model.evaluate(x, y, verbose=0, return_dict=True)
    probabilities = np.asarray(model.predict(x, verbose=0))
    expected = float(np.mean(keras.losses.sparse_categorical_crossentropy(y, probabilities)))
    # evaluate() averages batch by batch, this line all at once: a float32 sum in another order.
    # Measured 1e-7 relative (oneDNN on and off); the wrong losses differ by 10% or more.
    expect(np.isclose(results["loss"], expected, rtol=1e-3, atol=1e-4),
           f"the model's loss should be the sparse categorical cross-entropy of its predictions "
           f"({expected:.4f} on the training data), but evaluate() reports {results['loss']:.4f}: "
           f"compile with loss='sparse_categorical_crossentropy' (the head already applies "
           f"softmax)")
    accuracy = float(np.mean(np.argmax(probabilities, axis=1) == y))
    # The solution reaches 1.00 (oneDNN on and off): the classes are far apart, so round-off in
    # training cannot bring it near 0.75, while a head that does not learn stays near 1/3.
    expect(accuracy >= 0.75,
           f"after 10 epochs the head should classify this separable task well above chance "
           f"(1/3), but its accuracy on the training data is {accuracy:.2f}")
