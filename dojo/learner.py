"""The learner's verbs that look at progress: list, progress, reset, solution.

They read the cached results in dojo/progress.py; only `progress` runs tests (the katas edited
since their last run, all in one pytest process), so the rest answer without importing TensorFlow.
"""
from __future__ import annotations

import sys
import time

from dojo import catalog, progress

BADGE = "Freezing Master"
STATUS_STYLE = {progress.PASSED: "green", progress.FAILING: "red",
                progress.NOT_STARTED: "dim", progress.NOT_RUN: "yellow"}


class LearnerProblem(Exception):
    """A situation the learner can fix; the message says how."""


def console():
    from rich.console import Console

    return Console(highlight=False)


def next_kata(after: catalog.Kata | None = None) -> catalog.Kata | None:
    """The first kata after `after` (or at all) that has not passed yet."""
    data = progress.load()
    katas = catalog.load()
    start = after.number if after else 0
    ordered = [k for k in katas if k.number > start] + [k for k in katas if k.number <= start]
    return next((k for k in ordered if progress.status(k, data) != progress.PASSED), None)


def status_table(katas, data, title: str):
    from rich.table import Table

    table = Table(title=title)
    for column in ("#", "kata", "level", "points", "status"):
        table.add_column(column)
    for kata in katas:
        state = progress.status(kata, data)
        table.add_row(str(kata.number), kata.title, f"{kata.level} {kata.level_name}",
                      str(kata.points), f"[{STATUS_STYLE[state]}]{state}[/]")
    return table


def cmd_list(args) -> int:
    katas = catalog.load()
    console().print(status_table(katas, progress.load(), "Katas"))
    return 0


def run_katas_quietly(katas) -> int:
    """Run several katas' tests in one pytest process and record their results."""
    import pytest

    results = progress.state_dir() / "progress-run.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    code = pytest.main([*(str(k.test_file) for k in katas), "-qq", "--no-header", "-p",
                        "no:cacheprovider", "--disable-warnings", "--tb=no", f"--results={results}"])
    import json

    try:
        tests = json.loads(results.read_text())["tests"]
    except (OSError, ValueError, KeyError):
        tests = []
    progress.record(tests)
    return code


def cmd_progress(args) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    katas = catalog.load()
    out = console()
    todo = progress.stale(katas)
    if todo:
        out.print(f"Re-running {len(todo)} kata(s) changed since their last run: "
                  + ", ".join(str(k.number) for k in todo))
        run_katas_quietly(todo)
    data = progress.load()
    out.print(status_table(katas, data, "Progress"))
    passed = [k for k in katas if progress.status(k, data) == progress.PASSED]
    earned, total = sum(k.points for k in passed), sum(k.points for k in katas)
    bar = Progress(TextColumn("katas passed"), BarColumn(), MofNCompleteColumn(),
                   TextColumn(f"points {earned}/{total}"), console=out, auto_refresh=False)
    task = bar.add_task("", total=len(katas), completed=len(passed))
    bar.update(task, completed=len(passed))
    out.print(bar.get_renderable())
    if len(passed) == len(katas):
        out.print(f"[bold yellow]*** {BADGE} ***[/] every kata passes. Well frozen!")
    else:
        upcoming = next_kata()
        out.print(f"Next: make kata N={upcoming.number}  ({upcoming.title})")
    return 0


def cmd_reset(args, kata: catalog.Kata) -> int:
    out = console()
    pristine = progress.pristine_stub(kata)
    current = kata.kata_file.read_bytes() if kata.kata_file.exists() else b""
    if current == pristine:
        out.print(f"{kata.kata_file.name} is already the pristine stub: nothing to reset.")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise LearnerProblem("reset overwrites your work: confirm with --yes (make reset N=... YES=1)")
        answer = input(f"Replace {kata.kata_file.name} with the original stub? Your version is kept "
                       f"as a backup. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            out.print("Nothing changed.")
            return 1
    backup_dir = progress.state_dir() / "backups"
    backup_dir.mkdir(parents=True, exist_ok=True)
    backup = backup_dir / f"{kata.kata_file.stem}.{time.strftime('%Y%m%d-%H%M%S')}.py"
    if current:
        backup.write_bytes(current)
    kata.kata_file.write_bytes(pristine)
    out.print(f"Restored the stub of kata {kata.number}. Your version: "
              f"{backup.relative_to(progress.state_dir().parent) if current else '(none)'}")
    return 0


def cmd_solution(args, kata: catalog.Kata) -> int:
    if not kata.solution_file.exists():
        raise LearnerProblem("the reference solutions are not part of this copy (a student "
                             "release has none); ask your instructor after the deadline")
    state = progress.status(kata)
    if state != progress.PASSED and not args.force:
        raise LearnerProblem(f"kata {kata.number} is {state}: solve it first (make kata "
                             f"N={kata.number}), or see the solution anyway with --force")
    from rich.syntax import Syntax

    console().print(Syntax(kata.solution_file.read_text(), "python", line_numbers=True))
    return 0


def write_stub_ids() -> None:
    """Record the blob ids of the current stubs (contributors run this after editing a stub)."""
    import json

    progress.STUBS_FILE.write_text(json.dumps(progress.current_stub_ids(), indent=1, sort_keys=True) + "\n")

