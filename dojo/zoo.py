"""Tiny "pretrained" models and synthetic data, made locally and deterministically.

No downloads: `keras.applications` weights are out of reach offline, so each zoo model is built and
pretrained here on synthetic data. The pretrained weights ship with the kit as a 14 KB file
(`zoo_weights.npz`, written by `python -m dojo zoo`): pretraining costs about a second per model and
per process, which every cold kata run would otherwise pay before its first test. A model whose
architecture no longer matches the file is pretrained on the spot instead (the kit's tests then ask
for the file to be regenerated). Every builder re-seeds Keras before it returns, so the random state
a test sees afterwards does not depend on where the weights came from.

The file also holds, per model, a digest of its pretraining recipe (`PRETRAINING` below plus the
model's architecture): a kit test compares it exactly, so a changed recipe is caught on any machine,
while the weights themselves are compared only up to float round-off between CPUs (see
`ROUND_OFF_TOLERANCE`).
"""
from __future__ import annotations

import ast
import dataclasses
import hashlib
import inspect
import json
import os
import pathlib
import sys
import textwrap
from typing import Callable

import numpy as np

# Keras is imported inside each builder: test modules import this one at collection, before any
# test may start TensorFlow.

WEIGHTS_FILE = pathlib.Path(__file__).with_name("zoo_weights.npz")
_PRETRAINED: dict[str, list[np.ndarray]] = {}  # loaded from WEIGHTS_FILE or pretrained here
_SHIPPED: dict[str, list[np.ndarray]] | None = None
_RECIPES: dict[str, dict[str, str]] = {}  # recipe digests of the models pretrained here
_RECIPES_ENTRY = "__recipes__"  # the npz entry holding {model key: {part: digest}} as JSON
_ZOO_SEED = 1234
INPUT_DIM = 8
IMAGE_SHAPE = (8, 8, 1)


def regression_data(n: int = 64, d: int = INPUT_DIM, seed: int = 0, shift: float = 0.0):
    """x ~ N(shift, 1), y a smooth function of x: learnable, so gradients are never zero."""
    rng = np.random.default_rng(seed)
    x = rng.normal(loc=shift, size=(n, d)).astype("float32")
    w = rng.normal(size=(d, 1)).astype("float32")
    y = np.tanh(x @ w / np.sqrt(d)).astype("float32")
    return x, y


def classification_data(n: int = 64, d: int = INPUT_DIM, classes: int = 3, seed: int = 0,
                        shift: float = 0.0):
    """Linearly separable classes: a head on any reasonable features can learn them."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=3.0, size=(classes, d)).astype("float32")
    labels = rng.integers(0, classes, size=n)
    x = (centers[labels] + rng.normal(size=(n, d)) + shift).astype("float32")
    return x, labels.astype("int32")


def image_data(n: int = 32, classes: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, size=n)
    x = rng.normal(size=(n, *IMAGE_SHAPE)).astype("float32")
    x[:, : 2 + labels.max(), :, 0] += labels[:, None, None].astype("float32")
    return x, labels.astype("int32")


def shipped_weights() -> dict[str, list[np.ndarray]]:
    """The weights in WEIGHTS_FILE by model key (read once; empty when the file is missing)."""
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = read_weights(WEIGHTS_FILE) if WEIGHTS_FILE.exists() else {}
    return _SHIPPED


def read_weights(path: pathlib.Path) -> dict[str, list[np.ndarray]]:
    weights: dict[str, list[np.ndarray]] = {}
    with np.load(path) as data:
        for name in sorted(data.files):  # "<key>/<index, zero-padded>"
            if name == _RECIPES_ENTRY:
                continue
            key, _ = name.split("/")
            weights.setdefault(key, []).append(data[name])
    return weights


def _fits(weights: list[np.ndarray] | None, model) -> bool:
    current = model.get_weights()
    return weights is not None and len(weights) == len(current) and all(
        w.shape == c.shape for w, c in zip(weights, current))


def _seeded_build(key: str, build):
    """Build with a fixed seed and give the model its pretrained weights: from this process's
    cache, else from the shipped file, else by pretraining it here with `PRETRAINING[key]` (then
    cached, and its recipe kept in `_RECIPES` for the weights file)."""
    import keras

    keras.utils.set_random_seed(_ZOO_SEED)
    model = build()
    # Call every zoo model once on a symbolic input, so `.input`/`.output` exist whether its
    # weights come from pretraining (which calls it) or from a file or the cache (which would not).
    model(keras.Input(model.input_shape[1:]))
    if key not in _PRETRAINED:
        shipped = shipped_weights().get(key)
        if _fits(shipped, model):
            _PRETRAINED[key] = shipped
        else:
            _RECIPES[key] = _pretrain(model, PRETRAINING[key])
            _PRETRAINED[key] = [np.array(w, copy=True) for w in model.get_weights()]
    model.set_weights(_PRETRAINED[key])
    keras.utils.set_random_seed(_ZOO_SEED + 1)
    return model


def compile_ready_to_fit(model, optimizer, loss) -> None:
    """`model.compile(optimizer, loss)`, then build the optimizer for the trainable variables now.

    Why: without a distribution strategy, Keras builds the optimizer inside the first traced train
    step, and variables created during a trace make TensorFlow trace the step a second time.
    Building it first, as Keras itself does under a distribution strategy, halves the cost of the
    first fit() (0.90 -> 0.42 s for `with_head(pretrained_base())` on a 2-core machine) and changes
    nothing else: the same slots, all zeros, for the same trainable variables
    (tests/kit/test_keras_facts.py checks both). So call it right before fit(), with no trainable
    flag changed in between; an unbuilt model (say a Sequential without an Input) is only compiled.
    """
    model.compile(optimizer=optimizer, loss=loss)
    if model.built and model.trainable_variables and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)


@dataclasses.dataclass(frozen=True)
class Pretraining:
    """How a zoo model is pretrained: together with its architecture and `_ZOO_SEED`, this
    determines its weights (up to float round-off). Changing any field changes the recipe digest
    stored in the weights file, and the kit's zoo test then asks for `python -m dojo zoo`."""
    data: Callable[..., tuple]  # one of the data functions above
    data_args: dict
    loss: str
    head_units: int = 0  # 0: fit the model itself; else fit it under a new Dense(head_units) head
    head_activation: str | None = None
    learning_rate: float = 1e-2  # Adam
    epochs: int = 2
    batch_size: int = 32


PRETRAINING = {
    "mlp": Pretraining(regression_data, {"n": 256, "seed": 11}, "mse"),
    "base": Pretraining(regression_data, {"n": 256, "seed": 12}, "mse", head_units=1),
    "encoder": Pretraining(regression_data, {"n": 256, "seed": 14}, "mse", head_units=1),
    "convnet": Pretraining(image_data, {"n": 64, "seed": 13}, "sparse_categorical_crossentropy",
                           head_units=3, head_activation="softmax"),
}


def _pretrain(model, recipe: Pretraining) -> dict[str, str]:
    """Pretrain `model` in place by `recipe`; return the recipe's digest, part by part.

    Every part is machine-independent by construction (configs, code, numbers), so two machines
    that run the same recipe record the same digests even where their weights differ by round-off.
    Auto-generated layer names appear in the configs: `pretrain_all` clears the Keras session
    before each model so that they are the same in every run."""
    import keras

    trained = model
    if recipe.head_units:
        inputs = keras.Input(model.input_shape[1:])
        head = keras.layers.Dense(recipe.head_units, activation=recipe.head_activation)
        trained = keras.Model(inputs, head(model(inputs)))
    optimizer = keras.optimizers.Adam(recipe.learning_rate)
    compile_ready_to_fit(trained, optimizer, recipe.loss)
    trained.fit(*recipe.data(**recipe.data_args), epochs=recipe.epochs,
                batch_size=recipe.batch_size, verbose=0)
    parts = {
        "seed": _ZOO_SEED,
        "architecture": model.get_config(),
        "pretrained as": trained.get_config() if trained is not model else "itself",
        "data": {"function": recipe.data.__name__, "args": recipe.data_args,
                 "code": _code_digest(recipe.data)},
        "optimizer": optimizer.get_config(),
        "loss": recipe.loss,
        "epochs": recipe.epochs,
        "batch size": recipe.batch_size,
        "procedure": [_code_digest(f) for f in (_seeded_build, _pretrain, compile_ready_to_fit)],
    }
    return {part: _digest(value) for part, value in parts.items()}


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _code_digest(function) -> str:
    """A digest of a function's code that ignores comments, formatting and its docstring."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    body = tree.body[0].body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        tree.body[0].body = body[1:] or [ast.Pass()]
    return _digest(ast.dump(tree))



def challenge_model(input_dim: int = INPUT_DIM):
    """Practice challenge 1's model, untrained: Dense 10 relu, Dense 10 relu, Dense 1."""
    import keras

    return keras.Sequential([
        keras.Input((input_dim,)),
        keras.layers.Dense(10, activation="relu"),
        keras.layers.Dense(10, activation="relu"),
        keras.layers.Dense(1),
    ])


def pretrained_mlp():
    """Functional MLP with weightless layers in between (InputLayer, Dropout, Flatten).

    model.layers: input, dense_a, dropout, dense_b, flatten, dense_c, out (4 weighted layers).
    """
    import keras

    def build():
        inputs = keras.Input((INPUT_DIM,), name="input")
        h = keras.layers.Dense(16, activation="tanh", name="dense_a")(inputs)
        h = keras.layers.Dropout(0.1, name="dropout")(h)
        h = keras.layers.Dense(16, activation="tanh", name="dense_b")(h)
        h = keras.layers.Flatten(name="flatten")(h)
        h = keras.layers.Dense(8, activation="tanh", name="dense_c")(h)
        outputs = keras.layers.Dense(1, name="out")(h)
        return keras.Model(inputs, outputs, name="pretrained_mlp")

    return _seeded_build("mlp", build)


def pretrained_base():
    """A Sequential feature extractor with BatchNormalization and Dropout, named 'base'.

    layers: base_dense_1, base_bn, base_dense_2, base_dropout, base_dense_3 (4 weighted).
    """
    import keras

    def build():
        return keras.Sequential([
            keras.Input((INPUT_DIM,)),
            keras.layers.Dense(16, activation="tanh", name="base_dense_1"),
            keras.layers.BatchNormalization(name="base_bn"),
            keras.layers.Dense(16, activation="tanh", name="base_dense_2"),
            keras.layers.Dropout(0.2, name="base_dropout"),
            keras.layers.Dense(8, activation="tanh", name="base_dense_3"),
        ], name="base")

    return _seeded_build("base", build)


def pretrained_encoder():
    """A smaller base without BatchNormalization, also named 'base'.

    layers: base_dense_1, base_dropout, base_dense_2 (2 weighted). For katas 3 and 4, whose tests
    trace a fit() that the learner's code compiles: Keras then builds the optimizer inside the
    traced step and traces it twice, at a cost that grows with every layer (pretrained_base's
    BatchNormalization alone adds about 0.25 s to such a fit).
    """
    import keras

    def build():
        return keras.Sequential([
            keras.Input((INPUT_DIM,)),
            keras.layers.Dense(16, activation="tanh", name="base_dense_1"),
            keras.layers.Dropout(0.2, name="base_dropout"),
            keras.layers.Dense(8, activation="tanh", name="base_dense_2"),
        ], name="base")

    return _seeded_build("encoder", build)


def pretrained_convnet():
    """A small convolutional base with BatchNormalization, named 'convnet'.

    layers: conv_1, conv_bn, conv_relu, conv_2, pool, features (4 weighted).
    """
    import keras

    def build():
        return keras.Sequential([
            keras.Input(IMAGE_SHAPE),
            keras.layers.Conv2D(4, 3, padding="same", name="conv_1"),
            keras.layers.BatchNormalization(name="conv_bn"),
            keras.layers.ReLU(name="conv_relu"),
            keras.layers.Conv2D(8, 3, padding="same", activation="tanh", name="conv_2"),
            keras.layers.GlobalAveragePooling2D(name="pool"),
            keras.layers.Dense(8, activation="tanh", name="features"),
        ], name="convnet")

    return _seeded_build("convnet", build)


def with_head(base, units: int = 1, activation=None, name: str = "head"):
    """A functional model: Input -> base -> Dense(units): the usual transfer-learning shape."""
    import keras

    inputs = keras.Input(base.input_shape[1:])
    outputs = keras.layers.Dense(units, activation=activation, name=name)(base(inputs))
    return keras.Model(inputs, outputs, name=f"{base.name}_with_{name}")


# --- the shipped weights file ---------------------------------------------------------------------

BUILDERS = {"mlp": pretrained_mlp, "base": pretrained_base, "encoder": pretrained_encoder,
            "convnet": pretrained_convnet}


# Float round-off between machines, measured on the shipped file's pretraining (largest absolute
# difference of any weight; the weights themselves are at most about 1.2 in size):
#   another CPU (2-core AMD EPYC):       1.5e-04 (convnet), 1.9e-06 (base), 1.2e-07 (mlp, encoder)
#   the same CPU, oneDNN on vs off:      2.6e-04 (convnet), 1.4e-06 (base), 1.4e-07 (mlp, encoder)
# The smallest recipe changes measured move some weight of every model by far more: learning rate
# 1e-2 -> 1.1e-2, at least 6.3e-03 (convnet; 1.7e-02 to 2.3e-02 for the others); one epoch more,
# 2.0e-02; batch size 32 -> 33, 2.5e-02; the next data seed, 5.0e-02; the next Keras seed, 9.9e-01.
# The tolerance sits between: about eight times the worst round-off, three times below the
# smallest recipe change. It is the second line of defence: the recipe digests, compared exactly,
# catch a changed recipe on any machine, whatever its weights.
ROUND_OFF_TOLERANCE = 2e-3


@dataclasses.dataclass
class Pretrained:
    """The zoo's pretrained weights and the recipe digests that produced them, by model key."""
    weights: dict[str, list[np.ndarray]]
    recipes: dict[str, dict[str, str]]


def pretrain_all(keys=None) -> Pretrained:
    """Pretrain every zoo model (or those of `keys`) here and now, ignoring the shipped file (run
    in its own process: it runs TensorFlow ops)."""
    import keras

    global _SHIPPED
    _SHIPPED = {}
    _PRETRAINED.clear()
    _RECIPES.clear()
    keys = list(BUILDERS) if keys is None else list(keys)
    for key in keys:
        keras.backend.clear_session()  # auto-generated layer names, part of the recipe, restart
        BUILDERS[key]()
    return Pretrained({key: _PRETRAINED[key] for key in keys}, {key: _RECIPES[key] for key in keys})


def write_weights(pretrained: Pretrained, path: pathlib.Path = WEIGHTS_FILE) -> None:
    arrays = {f"{key}/{i:03d}": w.astype("float32") for key, ws in pretrained.weights.items()
              for i, w in enumerate(ws)}
    arrays[_RECIPES_ENTRY] = np.array(json.dumps(pretrained.recipes, sort_keys=True, indent=1))
    with open(path, "wb") as out:
        np.savez_compressed(out, **arrays)


def read_recipes(path: pathlib.Path) -> dict[str, dict[str, str]]:
    with np.load(path) as data:
        return json.loads(str(data[_RECIPES_ENTRY])) if _RECIPES_ENTRY in data.files else {}


def differences(fresh: Pretrained, path: pathlib.Path = WEIGHTS_FILE,
                tolerance: float = ROUND_OFF_TOLERANCE) -> list[str]:
    """What differs between a fresh pretraining and a weights file (empty: up to date).

    The recipe digests must be equal; the weights may differ by float round-off (`tolerance`)."""
    shipped = read_weights(path) if path.exists() else {}
    recipes = read_recipes(path) if path.exists() else {}
    problems = []
    for key, ws in fresh.weights.items():
        theirs = shipped.get(key)
        if theirs is None or [w.shape for w in ws] != [w.shape for w in theirs]:
            problems.append(f"{key}: the shipped weights do not fit the model")
            continue
        recorded = recipes.get(key, {})
        changed = [part for part, digest in fresh.recipes[key].items() if recorded.get(part) != digest]
        if changed:
            problems.append(f"{key}: the pretraining recipe changed since the file was written "
                            f"({', '.join(changed)})")
        worst = max(float(np.max(np.abs(a - b))) for a, b in zip(ws, theirs))
        if worst > tolerance:
            problems.append(f"{key}: shipped weights differ from a fresh pretraining by {worst:.2e}, "
                            f"more than float round-off ({tolerance:.0e})")
    return problems


def regenerate(check: bool = False) -> int:
    """`python -m dojo zoo [--check]`: pretrain the zoo and write (or check) zoo_weights.npz. Runs
    TensorFlow ops: call it in a process of its own."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    fresh = pretrain_all()
    if check:
        problems = differences(fresh)
        for problem in problems:
            print(f"{WEIGHTS_FILE.name}: {problem}: run `python -m dojo zoo`", file=sys.stderr)
        return 1 if problems else 0
    write_weights(fresh)
    print(f"wrote {WEIGHTS_FILE.name} ({WEIGHTS_FILE.stat().st_size} bytes)")
    return 0
