"""Kata 21: one fit(), two learning rates (keras-facts row 21): step sizes measured after one step."""
import keras
import numpy as np
import tensorflow as tf

from dojo.checks import expect, leaf_layers, qualified_names

INPUT_DIM = 8
N = 32


def data(seed=21):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, INPUT_DIM)).astype("float32")
    y = np.tanh(x @ rng.normal(size=(INPUT_DIM, 1)) / np.sqrt(INPUT_DIM)).astype("float32")
    return x, y


def model_with_base():
    """A 'pretrained' base (its bottom layer frozen) and a two-layer head: returns (model, base)."""
    base = keras.Sequential([
        keras.Input((INPUT_DIM,)),
        keras.layers.Dense(6, activation="tanh", name="base_1"),
        keras.layers.Dense(6, activation="tanh", name="base_2"),
        keras.layers.Dense(4, activation="tanh", name="base_3"),
    ], name="base")
    inputs = keras.Input((INPUT_DIM,))
    h = keras.layers.Dense(4, activation="tanh", name="head_hidden")(base(inputs))
    outputs = keras.layers.Dense(1, name="head_out")(h)
    model = keras.Model(inputs, outputs, name="model")
    base.get_layer("base_1").trainable = False
    return model, base


def gradients(model, x, y):
    """id(variable) -> the gradient of the mse loss for one full batch, before any step."""
    variables = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y, model(x, training=True))
    return {id(v): np.asarray(g) for v, g in zip(variables, tape.gradient(loss, variables))}


def one_step(kata, optimizer_class, base_lr, head_lr):
    """Compile with the kata, take one fit() step on one full batch; return what the test needs."""
    x, y = data()
    model, base = model_with_base()
    grads = gradients(model, x, y)
    before = {id(v): np.array(v.numpy(), copy=True) for v in model.weights}

    trainer = kata.compile_with_two_learning_rates(model, base, base_lr, head_lr, loss="mse",
                                                   optimizer=optimizer_class)
    expect(isinstance(trainer, keras.Model),
           f"compile_with_two_learning_rates must return the model to call fit() on (model "
           f"itself, compiled, or a model wrapping it), got {trainer!r}")
    expect(getattr(trainer, "optimizer", None) is not None,
           "the model returned by compile_with_two_learning_rates is not compiled: compile it "
           "before returning it")
    trainer.fit(x, y, batch_size=N, epochs=1, shuffle=False, verbose=0)

    names = qualified_names(model)
    base_ids = {id(v) for v in base.weights}
    steps = []  # (where, group, expected rate, gradient, change)
    for layer in leaf_layers(model):
        for v in layer.weights:
            where = f"the {v.name} of layer '{names[id(layer)]}'"
            change = v.numpy() - before[id(v)]
            if id(v) not in grads:
                moved = float(np.abs(change).max())
                expect(moved == 0.0,
                       f"layer '{names[id(layer)]}' was frozen before the call and should stay "
                       f"bit-identical, but its {v.name} moved by {moved:.1e} during fit(): "
                       f"train only the trainable variables")
                continue
            group, rate = ("base_lr", base_lr) if id(v) in base_ids else ("head_lr", head_lr)
            steps.append((where, group, rate, grads[id(v)], change))
    return steps


def test_sgd_steps_are_base_lr_and_head_lr_times_the_gradient(kata):
    base_lr, head_lr = 0.01, 0.1
    for where, group, rate, grad, change in one_step(kata, keras.optimizers.SGD, base_lr, head_lr):
        # SGD: change = -rate * gradient. The rate a variable really got, by least squares.
        # Float32 round-off in `change` (the difference of two weights near 1) is up to 6e-8 per
        # entry: measured within 2e-6 of the rate, and per entry within 1% (+1e-6) of the step,
        # with oneDNN on and off. A wrong group's rate is off by a factor of 10.
        measured = float(-(change * grad).sum() / (grad * grad).sum())
        expect(np.isclose(measured, rate, rtol=1e-2),
               f"with SGD, {where} moved by {measured:.3g} x its gradient, so it trained at "
               f"learning rate {measured:.3g}; it should train at {group}={rate:g}")
        expect(np.allclose(change, -rate * grad, rtol=1e-2, atol=1e-6),
               f"with SGD, {where} should move by exactly -{group} x its gradient "
               f"(-{rate:g} x gradient) in one step, but it moved differently: largest "
               f"difference {np.abs(change + rate * grad).max():.1e}")


def test_adam_moves_each_group_by_its_own_learning_rate(kata):
    base_lr, head_lr = 0.002, 0.02
    for where, group, rate, grad, change in one_step(kata, keras.optimizers.Adam, base_lr, head_lr):
        # Adam's first step moves each weight by about its learning rate, whatever the gradient's
        # size (except for tiny gradients, near Adam's epsilon): measured within 0.04% of the rate
        # with oneDNN on and off, against a 10% tolerance; a wrong group is off by a factor of 10.
        clear = np.abs(grad) > 1e-4
        if not clear.any():
            continue
        measured = float(np.median(np.abs(change[clear])))
        expect(np.isclose(measured, rate, rtol=0.1),
               f"with Adam, the first step moves each weight by about its learning rate, but "
               f"{where} moved by about {measured:.3g} per weight instead of about "
               f"{group}={rate:g}: it should be trained by the optimizer class you are given, at "
               f"{group} (scaling a gradient does not change the size of an Adam step)")
