"""Weight snapshots, "frozen"/"moved" checks and the freeze map that explains a failure.

Kata tests use these to state expectations in model terms. A failed check raises `KataFailure`,
whose text is what the learner reads: the first broken expectation first, then a freeze map of the
whole model (per leaf layer: trainable flag, parameter counts, how far its weights moved).

Rules learned from the kit's fact checks (tests/kit/): "frozen" means bit-identical, compared within one
run; layers are found by object, never by `variable.path`; variables are compared by `id()`, since
`variable in list` compares values and raises.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

# Keras is imported where a check needs it: test modules import this one at collection, before
# any test may start TensorFlow.


class KataFailure(AssertionError):
    """A kata expectation that the learner's code did not meet; its text is shown as is."""


def expect(condition: object, message: str) -> None:
    """Raise KataFailure(message) unless `condition` holds."""
    if not condition:
        raise KataFailure(message)


# --- comparing numbers, portably -------------------------------------------------------------
# Kata tests run on any CPU, with oneDNN's kernels or TensorFlow's own (TF_ENABLE_ONEDNN_OPTS), and
# each computes float32 sums in its own order. So a test compares numbers in one of three ways:
#   - "did not move": the same variable read twice in one run, bit for bit (Snapshot.changes).
#   - a number Keras stores in float32 that was given as a Python float (a learning rate):
#     `same_float32`, which allows its float32 rounding (at most 6e-8 relative) and nothing more.
#   - the same math done by two code paths (a model's call against its layers applied one by
#     one, compile()'s loss against the loss object, two calls of the same function): `agree`,
#     which allows float32 round-off. Measured on the kata suite's solutions, oneDNN on and off,
#     the largest gap at any such check was 1.2e-07, on values of size at most 1.2 (one float32
#     step at 1); ROUND_OFF allows about a hundred times that, and every wrong answer that such a
#     check must catch is off by 1e-2 or more.
ROUND_OFF = {"rtol": 1e-5, "atol": 1e-5}


def agree(got, want) -> bool:
    """`got` and `want` are the same math computed two ways: equal up to float32 round-off."""
    return bool(np.allclose(np.asarray(got, dtype="float64"), np.asarray(want, dtype="float64"),
                            **ROUND_OFF))


def same_float32(got, want: float) -> bool:
    """`got` is `want` stored by Keras as a float32 (e.g. an optimizer's learning rate)."""
    return bool(np.isclose(float(got), want, rtol=1e-6, atol=0.0))


# --- walking models -------------------------------------------------------------------------


def leaf_layers(model) -> list:
    """Every layer that is not itself a model, in model order, searching nested models."""
    leaves = []
    for layer in model.layers:
        if _is_model(layer):
            leaves.extend(leaf_layers(layer))
        else:
            leaves.append(layer)
    return leaves


def _is_model(layer) -> bool:
    import keras

    return isinstance(layer, keras.Model)


def weighted_leaf_layers(model) -> list:
    return [layer for layer in leaf_layers(model) if layer.weights]


def qualified_names(model) -> dict[int, str]:
    """id(layer) -> 'outer/inner/name' for every leaf layer: names a learner can find."""
    names: dict[int, str] = {}

    def walk(container, prefix):
        for layer in container.layers:
            if _is_model(layer):
                walk(layer, f"{prefix}{layer.name}/")
            else:
                names[id(layer)] = f"{prefix}{layer.name}"

    walk(model, "")
    return names


def trainable_ids(model) -> set[int]:
    """ids of the variables `fit()` would train right now (model.trainable_weights)."""
    return {id(v) for v in model.trainable_weights}


def is_trained(model, layer) -> bool:
    """True when at least one of the layer's variables is among model.trainable_weights."""
    ids = trainable_ids(model)
    return any(id(v) in ids for v in layer.weights)


def count_scalars(variables) -> int:
    return int(sum(math.prod(v.shape) for v in variables))


# --- snapshots ------------------------------------------------------------------------------


@dataclasses.dataclass
class VariableState:
    layer: object
    layer_name: str
    variable: object
    short_name: str
    value: np.ndarray


class Snapshot:
    """A copy of every variable of every leaf layer of a model, taken now."""

    def __init__(self, model):
        self.model = model
        names = qualified_names(model)
        self.states = [
            VariableState(layer, names[id(layer)], v, _short(v), np.array(v.numpy(), copy=True))
            for layer in leaf_layers(model)
            for v in layer.weights
        ]

    def changes(self) -> dict[int, float]:
        """id(variable) -> largest absolute change since the snapshot (0.0 = bit-identical)."""
        result = {}
        for s in self.states:
            now = np.asarray(s.variable.numpy())
            if now.shape != s.value.shape:
                result[id(s.variable)] = math.inf
            elif np.array_equal(now, s.value):
                result[id(s.variable)] = 0.0
            else:
                diff = np.abs(now.astype("float64") - s.value.astype("float64"))
                result[id(s.variable)] = float(np.nanmax(diff)) if np.isfinite(diff).any() else math.inf
        return result

    def layer_change(self, layer) -> float:
        """Largest change of any variable of `layer` since the snapshot."""
        changes = self.changes()
        return max((changes[id(s.variable)] for s in self.states if s.layer is layer), default=0.0)

    def unchanged(self) -> bool:
        return all(c == 0.0 for c in self.changes().values())


def _short(variable) -> str:
    return variable.path.rsplit("/", 1)[-1]


def snapshot(model) -> Snapshot:
    return Snapshot(model)


# --- expectations after training -------------------------------------------------------------


# Callables notified of every freeze map a check computes, pass or fail (`inspect` shows them).
observers: list = []


def _observe(title: str, snap: Snapshot, show_change: bool) -> None:
    if observers:
        table = freeze_map(snap, show_change)
        for observer in observers:
            observer(title, table)


def expect_moved_exactly(before: Snapshot, should_move, during: str = "fit()") -> None:
    """Every layer in `should_move` changed; every other weighted leaf layer is bit-identical.

    `should_move` holds layer objects. Raises KataFailure naming the first wrong layer first.
    """
    _observe(f"after {during}", before, show_change=True)
    moving_ids = {id(layer) for layer in should_move}
    changes = before.changes()
    problems = []
    seen = set()
    for s in before.states:
        if id(s.layer) in seen:
            continue
        seen.add(id(s.layer))
        layer_states = [t for t in before.states if t.layer is s.layer]
        if id(s.layer) in moving_ids:
            if all(changes[id(t.variable)] == 0.0 for t in layer_states):
                problems.append(
                    f"layer '{s.layer_name}' should have been trained, but none of its weights "
                    f"changed during {during}"
                )
        else:
            for t in layer_states:
                if changes[id(t.variable)] != 0.0:
                    problems.append(
                        f"layer '{s.layer_name}' should be frozen, but its {t.short_name} moved by "
                        f"{changes[id(t.variable)]:.1e} during {during}"
                    )
                    break
    if problems:
        raise KataFailure(_with_map(problems, before))


def expect_flags(model, frozen=(), trained=()) -> None:
    """Check, before training, which layers `fit()` would train (from model.trainable_weights)."""
    _observe("before training", Snapshot(model), show_change=False)
    names = qualified_names(model)
    ids = trainable_ids(model)
    problems = []
    for layer in frozen:
        live = [_short(v) for v in layer.weights if id(v) in ids]
        if live:
            problems.append(
                f"layer '{names.get(id(layer), layer.name)}' should be frozen, but "
                f"{', '.join(live)} {'is' if len(live) == 1 else 'are'} still in model.trainable_weights"
            )
    for layer in trained:
        if not any(id(v) in ids for v in layer.weights):
            why = "its trainable flag is False" if not layer.trainable else (
                "its flag is True, but a parent (or the model itself) is frozen")
            problems.append(
                f"layer '{names.get(id(layer), layer.name)}' should be trainable, but none of its "
                f"weights is in model.trainable_weights ({why})"
            )
    if problems:
        raise KataFailure(_with_map(problems, Snapshot(model), show_change=False))


def _with_map(problems: list[str], before: Snapshot, show_change: bool = True) -> str:
    extra = f"\n  (and {len(problems) - 1} more problem(s) below)" if len(problems) > 1 else ""
    rest = "".join(f"\n  - {p}" for p in problems[1:])
    return f"{problems[0]}{extra}{rest}\n\n{freeze_map(before, show_change)}"


def freeze_map(before: Snapshot, show_change: bool = True) -> str:
    """A plain-text table, one row per weighted leaf layer: the picture a learner needs.

    With show_change, the last column says how far each layer's weights moved since `before`.
    """
    model = before.model
    ids = trainable_ids(model)
    changes = before.changes()
    header = ("layer", "type", "flag", "in trainable_weights", "non-trainable", "max change")
    rows = [header if show_change else header[:-1]]
    seen = []
    for s in before.states:
        if any(s.layer is layer for layer in seen):
            continue
        seen.append(s.layer)
        variables = s.layer.weights
        live = [v for v in variables if id(v) in ids]
        dead = [v for v in variables if id(v) not in ids]
        change = max(changes[id(v)] for v in variables)
        row = (
            s.layer_name,
            type(s.layer).__name__,
            "trainable" if s.layer.trainable else "frozen",
            str(count_scalars(live)),
            str(count_scalars(dead)),
            "0 (bit-identical)" if change == 0.0 else f"{change:.1e}",
        )
        rows.append(row if show_change else row[:-1])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "Freeze map (params counted from model.trainable_weights):\n" + "\n".join(
        "  " + line for line in lines)
