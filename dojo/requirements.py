"""The requirements of each kata's statement, as its test file lists them (read without importing
it, so without TensorFlow):

    REQUIREMENTS = {
        "what the statement asks, in a few words": ("test_that_fails_when_only_it_is_broken",
                                                   ["wrong_answer_that_breaks_only_it", ...]),
    }

Every wrong answer of the kata belongs to exactly one requirement and must fail that test (the
self-check in dojo/verify.py judges it; the plugin runs only that test on it).
"""
from __future__ import annotations

import ast
import dataclasses

from dojo import catalog


@dataclasses.dataclass(frozen=True)
class Requirement:
    kata: catalog.Kata
    text: str
    test: str  # a test function of the kata's test file (its parametrized cases count as one)
    wrong: tuple[str, ...]  # stems of wrong answers in the kata's wrong_dir


def requirements(kata: catalog.Kata) -> list[Requirement]:
    """The REQUIREMENTS literal of the kata's test file (empty when it has none)."""
    for node in ast.parse(kata.test_file.read_text()).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "REQUIREMENTS" for t in node.targets):
            table = ast.literal_eval(node.value)
            return [Requirement(kata, text, test, tuple(wrong)) for text, (test, wrong) in table.items()]
    return []


def test_judging(kata: catalog.Kata, wrong_answer: str) -> str | None:
    """The test that the requirement of `wrong_answer` names, or None when it is traced to none."""
    try:
        found = requirements(kata)
    except (ValueError, TypeError, SyntaxError):
        return None
    return next((r.test for r in found if wrong_answer in r.wrong), None)
