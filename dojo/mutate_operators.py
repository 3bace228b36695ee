"""Three mutation operators added to Cosmic Ray's core set for `make mutate` (see dojo/mutate.py).

Cosmic Ray's core operators change expressions (numbers, comparisons, arithmetic, booleans, loops),
but the solutions are mostly calls and flag assignments: `base.trainable = True`,
`model.compile(...)`, `trainable=False`, `keras.ops.stop_gradient(...)`. With the core set alone
kata 19 gets no mutant at all and katas 11, 17, 18 and 21 one each. These three close that gap,
each a classic of the mutation-testing literature (statement deletion, argument deletion, call
removal), and come through Cosmic Ray's own plugin interface (the `cosmic_ray.operator_providers`
entry point in pyproject.toml), so its session files and `cr-report` know them like the core ones.

Each operator leaves the code valid Python and keeps every other character (comments, layout).
"""
from __future__ import annotations

from cosmic_ray.operators.operator import Example, Operator
from parso.python.tree import Keyword

_CALL_STATEMENT = ("atom_expr", "power")


def _is_keyword_argument(node) -> bool:
    return (node.type == "argument" and len(node.children) == 3
            and node.children[1].type == "operator" and node.children[1].value == "=")


def _with_prefix(node, prefix: str):
    node.get_first_leaf().prefix = prefix
    return node


class RemoveStatement(Operator):
    """Replace a statement that acts only through its side effect with `pass`: a call
    (`model.compile(...)`), an assignment to an attribute or item (`base.trainable = True`), an
    augmented assignment (`frozen += 1`), or a `raise`. Assignments to plain names are left
    alone: the name would be undefined further down, a mutant every test kills at once."""

    def mutation_positions(self, node):
        if node.type != "simple_stmt" or len(node.children) != 2:
            return  # none, or several statements on one line (`a; b`)
        statement = node.children[0]
        if self._removable(statement):
            yield statement.start_pos, statement.end_pos

    @staticmethod
    def _removable(statement) -> bool:
        if statement.type == "raise_stmt":
            return True
        if statement.type in _CALL_STATEMENT:
            last = statement.children[-1]
            return last.type == "trailer" and last.children[0].value == "("
        if statement.type != "expr_stmt":
            return False
        operator = statement.children[1]
        if operator.type == "operator" and operator.value.endswith("=") and operator.value != "=":
            return True  # augmented assignment
        targets = statement.children[:-1:2]  # a = b = value: every other child before the value
        return (all(child.type == "operator" and child.value == "=" for child in statement.children[1:-1:2])
                and all(t.type in _CALL_STATEMENT and t.children[-1].type == "trailer"
                        and t.children[-1].children[0].value in (".", "[") for t in targets))

    def mutate(self, node, index):
        assert index == 0
        statement = node.children[0]
        node.children[0] = Keyword("pass", statement.start_pos, prefix=statement.get_first_leaf().prefix)
        node.children[0].parent = node
        return node

    @classmethod
    def examples(cls):
        return (
            Example("model.trainable = True\n", "pass\n"),
            Example("def f(m):\n    m.compile(loss='mse')\n", "def f(m):\n    pass\n"),
            Example("x = 1\nx += 1\n", "x = 1\npass\n"),
            Example("if a:\n    raise ValueError(a)\n", "if a:\n    pass\n"),
            Example("a[0] = 1\nb.c = 2\n", "a[0] = 1\npass\n", occurrence=1),
        )


class RemoveKeywordArgument(Operator):
    """Drop one keyword argument from a call: `Embedding(..., trainable=False)` becomes
    `Embedding(...)`, so the callee's default applies."""

    def mutation_positions(self, node):
        for argument in self._keyword_arguments(node):
            yield argument.start_pos, argument.end_pos

    @staticmethod
    def _keyword_arguments(node):
        if node.type == "arglist" and node.parent.type == "trailer":
            return [child for child in node.children if _is_keyword_argument(child)]
        if (node.type == "trailer" and node.children[0].value == "(" and len(node.children) == 3
                and _is_keyword_argument(node.children[1])):
            return [node.children[1]]
        return []

    def mutate(self, node, index):
        argument = self._keyword_arguments(node)[index]
        children = node.children
        at = children.index(argument)
        if node.type == "trailer":  # f(a=1) -> f()
            del children[at]
            return node
        prefix = argument.get_first_leaf().prefix
        if at + 1 < len(children):  # the argument and the comma after it; the next one moves up
            del children[at:at + 2]
            if at < len(children):
                _with_prefix(children[at], prefix)
        else:  # the last argument, without a trailing comma: the comma before it goes too
            del children[at - 1:at + 1]
        return node

    @classmethod
    def examples(cls):
        return (
            Example("f(a, b=1, c=2)", "f(a, c=2)"),
            Example("f(a, b=1, c=2)", "f(a, b=1)", occurrence=1),
            Example("f(b=1)", "f()"),
            Example("f(\n    a,\n    b=1,\n    c=2,\n)", "f(\n    a,\n    c=2,\n)"),
            Example("f(\n    a,\n    c=2,\n)", "f(\n    a,\n)"),
        )


class UnwrapCall(Operator):
    """Replace a call that takes one positional argument by that argument:
    `keras.ops.stop_gradient(encoder(inputs))` becomes `encoder(inputs)`, `bool(flag)` becomes
    `flag`. A call that is a statement of its own is left to RemoveStatement."""

    def mutation_positions(self, node):
        if self._argument(node) is not None:
            yield node.start_pos, node.end_pos

    @staticmethod
    def _argument(node):
        if node.type not in _CALL_STATEMENT or node.parent.type == "simple_stmt":
            return None
        last = node.children[-1]
        if last.type != "trailer" or last.children[0].value != "(" or len(last.children) != 3:
            return None
        inner = last.children[1]
        if inner.type in ("arglist", "argument"):  # several, keyword, starred or a generator
            return None
        return inner

    def mutate(self, node, index):
        assert index == 0
        return _with_prefix(self._argument(node), node.get_first_leaf().prefix)

    @classmethod
    def examples(cls):
        return (
            Example("y = stop_gradient(f(x))", "y = f(x)"),
            Example("y = stop_gradient(f(x))", "y = stop_gradient(x)", occurrence=1),
            Example("return bool(layer.trainable)", "return layer.trainable"),
        )


class OperatorProvider:
    """The `dojo/...` operators, for Cosmic Ray's `cosmic_ray.operator_providers` entry point."""

    _OPERATORS = {op.__name__: op for op in (RemoveStatement, RemoveKeywordArgument, UnwrapCall)}

    def __iter__(self):
        return iter(self._OPERATORS)

    def __getitem__(self, name):
        return self._OPERATORS[name]
