"""`make bench-classroom`: what GitHub Classroom's autograding costs, as a ratio to one plain
pytest run of the kata suite, measured in the same session on the same copy.

Paired runs on a copy of this repository with the solutions in its katas/, each from fresh state
(no warm runner, no recorded test durations):
  - plain: `python -m pytest tests/test_k*.py`, the whole kata suite in one run;
  - classroom: every grader step of the generated workflow, one after another as the Actions
    runner runs them, through the real actions' Node code (dojo/classroom/real_actions.py, needs
    `node` and CLASSROOM_ACTIONS_MIRROR), the warm runner's start included, then the reporter, which
    must report full points.
The median ratio of the pairs is held to TARGET_RATIO and written to BENCH.md's "Classroom grading".
"""
from __future__ import annotations

import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from dojo import catalog, docs, warm
from dojo.classroom import real_actions, release

TARGET_RATIO = 1.3


def _fresh(copy: pathlib.Path) -> None:
    """No warm runner and no recorded durations: each run starts as on a new Actions runner."""
    warm.stop(warm.socket_path(copy))
    shutil.rmtree(copy / ".dojo", ignore_errors=True)


def plain_run(copy: pathlib.Path) -> float:
    tests = sorted(str(k.test_file.relative_to(catalog.ROOT)) for k in catalog.load())
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
                          cwd=copy, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"the plain run failed:\n{proc.stdout[-2000:]}")
    return seconds


def classroom_run(actions: dict, copy: pathlib.Path, home: pathlib.Path) -> float:
    start = time.perf_counter()
    report = real_actions.run_workflow(actions, copy, home)
    seconds = time.perf_counter() - start
    full = sum(k.points for k in catalog.load())
    if report["points"] != (full, full):
        raise RuntimeError(f"the reporter gave {report['points']}, not {full}/{full}:\n"
                           f"{report['stdout'][-2000:]}")
    return seconds


def render(pairs: list[tuple[float, float]]) -> str:
    ratios = [c / p for p, c in pairs]
    median = statistics.median(ratios)
    met = "met" if median <= TARGET_RATIO else "MISSED"
    lines = [f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores with "
             f"`python -m dojo bench-classroom` (`make bench-classroom`): the {len(catalog.load())} "
             f"katas' solutions graded by the generated workflow through GitHub Classroom's own "
             f"grader actions (their Node code), against one plain pytest run of the kata suite; "
             f"each run from fresh state (no warm runner, no recorded durations), in pairs.", "",
             "| pair | plain pytest | Classroom steps + reporter | ratio |", "|---|---|---|---|"]
    lines += [f"| {i} | {p:.1f} s | {c:.1f} s | {c / p:.2f}x |" for i, (p, c) in enumerate(pairs, 1)]
    lines += ["", f"Median ratio {median:.2f}x (range {min(ratios):.2f}-{max(ratios):.2f}x); "
                  f"target <= {TARGET_RATIO}x: {met}."]
    return "\n".join(lines) + "\n"


def cmd_bench_classroom(args) -> int:
    """`python -m dojo bench-classroom [--pairs N]` (options: dojo/cli.py)."""
    reason = real_actions.unavailable()
    if reason:
        print(f"bench-classroom: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="dojo-classroom-bench-") as tmp:
        folder = pathlib.Path(tmp)
        actions = real_actions.export(folder / "actions")
        if actions is None:
            print(f"bench-classroom: no grader actions under {real_actions.mirror()}", file=sys.stderr)
            return 2
        copy = release.copy_checkout(folder / "repo")
        for kata in catalog.load():
            shutil.copy(kata.solution_file, copy / "katas" / kata.kata_file.name)
        home = folder / "home"
        home.mkdir()
        pairs = []
        try:
            for i in range(args.pairs):
                _fresh(copy)
                plain = plain_run(copy)
                _fresh(copy)
                graded = classroom_run(actions, copy, home)
                pairs.append((plain, graded))
                print(f"pair {i + 1}: plain {plain:.1f} s, classroom {graded:.1f} s, "
                      f"{graded / plain:.2f}x", flush=True)
        finally:
            _fresh(copy)
    text = render(pairs)
    docs.write_bench_section("Classroom grading", text)
    print(text)
    return 0 if statistics.median(c / p for p, c in pairs) <= TARGET_RATIO else 1
