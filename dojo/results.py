"""The results file: what a kata run says about each test, for every view of it (the learner's
progress, the self-check, bulk grading, mutation testing). Its schema is stated here once.

{"version": 1, "exitstatus": N, "tests": [Result, ...]} as JSON; the pytest plugin writes it
(`--results PATH`, or `--results-fd FD`: a pipe only the grader reads).
"""
from __future__ import annotations

import dataclasses
import json
import pathlib

VERSION = 1
FAILED = ("fail", "error")  # the statuses that mean a test did not pass


@dataclasses.dataclass(frozen=True)
class Result:
    test: str  # the test function's name (its parametrized cases share it)
    nodeid: str
    kata: int
    kata_id: str
    variant: str  # "katas", "solutions", or in the self-check "stub", "right-<name>", "wrong-<name>"
    points: int  # the kata's points (from the catalog, never from the code under test)
    status: str  # "pass", "fail", "error" or "skip"
    message: str = ""  # what the learner reads when it did not pass
    duration: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status in FAILED

    @property
    def headline(self) -> str:
        """The message's first line (or the status when there is no message)."""
        lines = self.message.strip().splitlines()
        return lines[0] if lines else self.status


def entry(**fields) -> dict:
    """A results entry as the plugin builds it (checked against the schema: a missing or unknown
    field fails here, not in a reader)."""
    return dataclasses.asdict(Result(**fields))


def document(exitstatus: int, tests: list[dict]) -> str:
    return json.dumps({"version": VERSION, "exitstatus": int(exitstatus), "tests": tests}, indent=1)


def parse(text: str | bytes) -> list[Result]:
    """The tests of a results document; ValueError when it is not one."""
    try:
        tests = json.loads(text)["tests"]
        names = {f.name for f in dataclasses.fields(Result)}
        return [Result(**{k: v for k, v in t.items() if k in names}) for t in tests]
    except (KeyError, TypeError) as problem:
        raise ValueError(f"not a results document: {problem}") from None


def read(path: pathlib.Path) -> list[Result]:
    """The tests of a results file; [] when it is missing or unreadable (the run ended early)."""
    try:
        return parse(path.read_text())
    except (OSError, ValueError):
        return []
