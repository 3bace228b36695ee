"""The kit's self-check (rustlings' `dev check`, widened): for every kata, the solution passes,
the stub fails, and every wrong answer kept in tests/wrong/ is rejected by at least one test.

All variants run in one pytest process (one TensorFlow import), parametrized by the plugin's
`--variants` option; this module reads back its results file and judges each variant.
"""
from __future__ import annotations

import collections
import dataclasses
import json
import os
import pathlib
import subprocess
import sys
import tempfile

from dojo import catalog


@dataclasses.dataclass
class Verdict:
    kata: catalog.Kata
    variant: str  # "stub", "solution" or "wrong-<name>"
    passed: int
    failed: int
    first_failure: str  # test name and message of the first failing test, "" if none

    @property
    def expected_to_pass(self) -> bool:
        return self.variant == "solution" or self.variant.startswith("right-")

    @property
    def ok(self) -> bool:
        if self.passed + self.failed == 0:
            return False  # nothing ran: never a silent success
        return self.failed == 0 if self.expected_to_pass else self.failed > 0


def run_variants(kinds: str = "all", katas: list[catalog.Kata] | None = None,
                 extra_args: tuple[str, ...] = ()) -> tuple[list[Verdict], subprocess.CompletedProcess]:
    """Run the kata tests against the chosen variants in a child pytest; judge each variant."""
    katas = catalog.load() if katas is None else katas
    with tempfile.TemporaryDirectory() as tmp:
        results = pathlib.Path(tmp) / "results.json"
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--variants={kinds}",
               f"--results={results}", *extra_args, *[str(k.test_file) for k in katas]]
        proc = subprocess.run(cmd, cwd=catalog.ROOT, capture_output=True, text=True,
                              env={**os.environ, "KATA_IMPL": "katas"})
        data = json.loads(results.read_text()) if results.exists() else {"tests": []}
    return judge(data["tests"], katas, kinds), proc


def judge(tests: list[dict], katas: list[catalog.Kata], kinds: str = "all") -> list[Verdict]:
    from dojo.plugin import variants, wanted_kinds

    by_variant = collections.defaultdict(list)
    for test in tests:
        by_variant[(test["kata"], test["variant"])].append(test)
    verdicts = []
    for kata in katas:
        for name, _ in variants(kata, wanted_kinds(kinds)):
            runs = by_variant.get((kata.number, name), [])
            failures = [t for t in runs if t["status"] in ("fail", "error")]
            first = f"{failures[0]['test']}: {failures[0]['message'].splitlines()[0]}" if failures else ""
            verdicts.append(Verdict(kata, name, len(runs) - len(failures), len(failures), first))
    return verdicts
