"""The kit's self-check (rustlings' `dev check`, widened): for every kata, the solution passes,
the stub fails, every wrong answer kept in tests/wrong/ is rejected by at least one test, and every
requirement of the kata's statement is traced to the test that judges it and to wrong answers that
this test rejects.

All variants run in one pytest process (one TensorFlow import), parametrized by the plugin's
`--variants` option; this module reads back its results file and judges each variant.

Requirements (dojo/requirements.py) live in each kata's test file. A wrong answer runs only the
test that its requirement names: it must fail that test, which is all the self-check needs of it.
"""
from __future__ import annotations

import ast
import collections
import dataclasses
import os
import pathlib
import subprocess
import sys
import tempfile

from dojo import catalog, results
from dojo.requirements import Requirement, requirements


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


@dataclasses.dataclass
class SelfCheck:
    variants: list[Verdict]
    requirements: list[RequirementVerdict]  # judged only when wrong answers ran
    process: subprocess.CompletedProcess


def run_variants(kinds: str = "all", katas: list[catalog.Kata] | None = None,
                 extra_args: tuple[str, ...] = ()) -> SelfCheck:
    """Run the kata tests against the chosen variants in a child pytest; judge each variant and,
    when wrong answers ran, each requirement."""
    katas = catalog.load() if katas is None else katas
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "results.json"
        # --kata-stop=never: the full picture, every test of every variant, even after a hang.
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--variants={kinds}",
               "--kata-stop=never", "--traced-tests-only",
               f"--results={path}", *extra_args, *[str(k.test_file) for k in katas]]
        proc = subprocess.run(cmd, cwd=catalog.ROOT, capture_output=True, text=True,
                              env={**os.environ, "KATA_IMPL": "katas"})
        tests = results.read(path)
    with_wrong = "wrong" in catalog.variant_kinds(kinds)
    return SelfCheck(judge(tests, katas, kinds),
                     judge_requirements(tests, katas) if with_wrong else [], proc)


def judge(tests: list[results.Result], katas: list[catalog.Kata], kinds: str = "all") -> list[Verdict]:
    by_variant = collections.defaultdict(list)
    for test in tests:
        by_variant[(test.kata, test.variant)].append(test)
    verdicts = []
    for kata in katas:
        for name, _ in catalog.variants(kata, catalog.variant_kinds(kinds)):
            runs = by_variant.get((kata.number, name), [])
            failures = [t for t in runs if t.failed]
            first = f"{failures[0].test}: {failures[0].headline}" if failures else ""
            verdicts.append(Verdict(kata, name, len(runs) - len(failures), len(failures), first))
    return verdicts


# --- requirements of a statement ------------------------------------------------------------


def tracing_problems(kata: catalog.Kata) -> list[str]:
    """What keeps the kata's requirements from being traceable, found without running a test."""
    try:
        found = requirements(kata)
    except (ValueError, TypeError, SyntaxError) as error:
        return [f"{kata.test_file.name}: REQUIREMENTS is not a literal of the documented form ({error})"]
    if not found:
        return [f"{kata.test_file.name} lists no REQUIREMENTS"]
    tree = ast.parse(kata.test_file.read_text())
    tests = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
             and node.name.startswith("test_")}
    wrong = {p.stem for p in kata.wrong_answers()}
    problems, traced = [], collections.Counter()
    for r in found:
        if r.test not in tests:
            problems.append(f"requirement {r.text!r} names {r.test}, which is not a test of "
                            f"{kata.test_file.name}")
        if not r.wrong:
            problems.append(f"requirement {r.text!r} has no wrong answer that breaks only it")
        for name in r.wrong:
            if name not in wrong:
                problems.append(f"requirement {r.text!r} names wrong answer {name!r}, which is not "
                                f"in {kata.wrong_dir.relative_to(catalog.ROOT)}")
            traced[name] += 1
    problems += [f"wrong answer {name!r} is traced to no requirement" for name in sorted(wrong - set(traced))]
    problems += [f"wrong answer {name!r} is traced to {n} requirements (one only)"
                 for name, n in sorted(traced.items()) if n > 1]
    return problems


@dataclasses.dataclass
class RequirementVerdict:
    requirement: Requirement
    rejected: list[str]  # wrong answers that failed the requirement's test
    slipped: list[str]  # wrong answers that passed it (or never ran it)

    @property
    def ok(self) -> bool:
        return bool(self.rejected) and not self.slipped


def judge_requirements(tests: list[results.Result],
                       katas: list[catalog.Kata]) -> list[RequirementVerdict]:
    """Per requirement: did each of its wrong answers fail the test that judges it?"""
    failed = collections.defaultdict(set)  # (kata, variant) -> names of failing tests
    for test in tests:
        if test.failed:
            failed[(test.kata, test.variant)].add(test.test)
    verdicts = []
    for kata in katas:
        for r in requirements(kata):
            caught = [w for w in r.wrong if r.test in failed[(kata.number, f"wrong-{w}")]]
            verdicts.append(RequirementVerdict(r, caught, [w for w in r.wrong if w not in caught]))
    return verdicts
