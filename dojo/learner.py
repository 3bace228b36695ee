"""The learner's verbs: run a kata, its hints, its freeze maps, and what passes (list, progress,
reset, solution).

`list`, `hint`, `reset` and `solution` read the catalog and the cached results (dojo/progress.py)
and never import TensorFlow, so they answer at once; `run`, `inspect` and `progress` run pytest in
this process (pytest, and TensorFlow through the kata tests, are imported there, when needed).
"""
from __future__ import annotations

import json
import os
import sys
import time

from dojo import catalog, progress, results, terminal, warm
from dojo.catalog import BADGE, UsageProblem

# pytest (and through the kata tests, TensorFlow) and rich's widgets are imported where they are
# used: `list` and `hint` answer in ~0.1 s without them.

STATUS_STYLE = {progress.PASSED: "green", progress.FAILING: "red",
                progress.NOT_STARTED: "dim", progress.NOT_RUN: "yellow"}
console = terminal.console


# --- run, hint, inspect -----------------------------------------------------------------------


def cmd_run(args) -> int:
    kata = catalog.named(args.kata)
    if args.warm:
        if warm.available():
            return warm.run(["run", str(kata.number), *args.pytest_args],
                            deadline_seconds=kata.hard_deadline)
        print(f"note: {warm.unavailable_reason()}", file=sys.stderr)
    out = console()
    out.print(f"[bold]Kata {kata.number}: {kata.title}[/bold]")
    out.print(f"Edit [cyan]{kata.kata_file.relative_to(catalog.ROOT)}[/cyan]  "
              f"(level {kata.level}, {kata.points} points, about {kata.minutes} min)")
    out.print()
    import pytest  # here, not at the top: `list` and `hint` should not pay for it

    # One results file per process: the warm runner may run the next kata beside this one.
    path = progress.state_dir() / f"run-{os.getpid()}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    code = pytest.main([str(kata.test_file), "-q", "--no-header", "--learner", "--disable-warnings",
                        "-p", "no:cacheprovider", f"--results={path}", *args.pytest_args])
    if path.exists():
        if not args.pytest_args:
            progress.record(results.read(path))
        path.unlink()
    out.print()
    if code == 0:
        upcoming = next_kata(after=kata)
        after = (f"Next: [bold]make kata N={upcoming.number}[/bold]  ({upcoming.title})" if upcoming
                 else f"Every kata passes: [bold yellow]{BADGE}[/]! (make progress)")
        out.print(f"[green]Kata {kata.number} passed.[/green] {after}")
        return 0
    out.print(f"[red]Kata {kata.number} is not solved yet.[/red] Stuck? "
              f"[bold]make hint N={kata.number}[/bold] shows the next hint.")
    return 1


def _hint_state() -> dict:
    try:
        return json.loads((progress.state_dir() / "hints.json").read_text())
    except (OSError, ValueError):
        return {}


def cmd_hint(args) -> int:
    from rich.markup import escape

    kata = catalog.named(args.kata)
    state = _hint_state()
    shown = len(kata.hints) if args.all else min(state.get(kata.id, 0) + 1, len(kata.hints))
    state[kata.id] = shown
    progress.state_dir().mkdir(parents=True, exist_ok=True)
    (progress.state_dir() / "hints.json").write_text(json.dumps(state, indent=1))
    out = console()
    for i, hint in enumerate(kata.hints[:shown], start=1):
        out.print(f"[bold]Hint {i}/{len(kata.hints)}[/bold] (kata {kata.number}): "
                  f"{escape(hint)}")  # a hint's `x[...]` is code, not rich markup
    if shown < len(kata.hints):
        out.print(f"Ask again for the next one: make hint N={kata.number}")
    return 0


def cmd_inspect(args) -> int:
    """Run the kata's tests only to show what its models look like under the learner's code."""
    kata = catalog.named(args.kata)
    import pytest

    console().print(f"[bold]Kata {kata.number}: {kata.title}[/bold]: freeze maps from "
                    f"{kata.kata_file.relative_to(catalog.ROOT)}")
    pytest.main([str(kata.test_file), "-q", "--no-header", "--inspect", "--tb=no",
                 "--disable-warnings", "-p", "no:cacheprovider"])
    return 0


# --- what passes ------------------------------------------------------------------------------


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

    path = progress.state_dir() / "progress-run.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    code = pytest.main([*(str(k.test_file) for k in katas), "-qq", "--no-header", "-p",
                        "no:cacheprovider", "--disable-warnings", "--tb=no", f"--results={path}"])
    progress.record(results.read(path))
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


def cmd_reset(args) -> int:
    kata = catalog.named(args.kata)
    out = console()
    pristine = progress.pristine_stub(kata)
    current = kata.kata_file.read_bytes() if kata.kata_file.exists() else b""
    if current == pristine:
        out.print(f"{kata.kata_file.name} is already the pristine stub: nothing to reset.")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageProblem("reset overwrites your work: confirm with --yes (make reset N=... YES=1)")
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


def cmd_solution(args) -> int:
    kata = catalog.named(args.kata)
    if not kata.solution_file.exists():
        raise UsageProblem("the reference solutions are not part of this copy (a student "
                             "release has none); ask your instructor after the deadline")
    state = progress.status(kata)
    if state != progress.PASSED and not args.force:
        raise UsageProblem(f"kata {kata.number} is {state}: solve it first (make kata "
                             f"N={kata.number}), or see the solution anyway with --force")
    from rich.syntax import Syntax

    console().print(Syntax(kata.solution_file.read_text(), "python", line_numbers=True))
    return 0
