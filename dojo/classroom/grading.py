"""`python -m dojo grade`: the committed workflow's grader steps run here, as the actions would, and
the points as the reporter counts them; `grade --sandbox` grades one checkout as grade-submissions
does, in the sandbox."""
from __future__ import annotations

import os
import pathlib
import re
import sys
import tempfile

from dojo import catalog, terminal
from dojo.catalog import UsageProblem
from dojo.classroom import sandbox, submissions
from dojo.classroom.actions import (Report, ReporterCrash, command_grader, grader_environment,
                                    points_text, reporter)
from dojo.classroom.workflow import WORKFLOW_FILE, encode, results_variable, workflow_text
from dojo.classroom.workflow_file import read_workflow, resolve_env

# rich's tables are imported where they are used (see dojo/terminal.py).


def grade(root: pathlib.Path = catalog.ROOT, only: set[int] | None = None, stream: bool = False,
          echo=print) -> Report:
    """Run the committed workflow's grader steps here, as the actions would, and report."""
    path = root / WORKFLOW_FILE
    if not path.exists():
        raise UsageProblem(f"{WORKFLOW_FILE} is missing: run `python -m dojo classroom` first")
    text = path.read_text()
    workflow = read_workflow(text)
    if root == catalog.ROOT and text != workflow_text():
        echo(f"note: {WORKFLOW_FILE} differs from what `python -m dojo classroom` generates from "
             f"the catalog; grading what the file says")
    steps = [s for s in workflow.grader_steps if only is None or s.kata_number in only]
    # setup-python puts its interpreter first on PATH; here that is the one running this command
    env = grader_environment(path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    outputs = {}
    for step in steps:
        if stream:
            echo(f"--- {step.id}: {step.test_name}  ({step.command})")
        result, run = command_grader(step, cwd=root, env=env, stream=stream)
        outputs[step.id] = encode(result)
        test = result["tests"][0]
        seconds = f"{run.seconds:5.1f} s" if run else ""
        echo(f"{step.id}  {test['status']:<5}  {test['score']:>3}/{step.max_score:<3} {seconds}  "
             f"{step.test_name}")
    runners = workflow.runners
    env_template = workflow.reporter_env
    if only is not None:
        chosen = {s.id for s in steps}
        runners = ",".join(r for r in runners.split(",") if r.strip() in chosen)
        env_template = {k: v for k, v in env_template.items()
                        if k in {results_variable(i) for i in chosen}}
    return reporter(runners, resolve_env(env_template, outputs))


def cmd_grade(args) -> int:
    katas = catalog.select(catalog.load(), args.only)
    only = {k.number for k in katas} if args.only else None
    if args.sandbox or args.submission:
        return _grade_one_submission(args, katas)
    print("Grading as GitHub Classroom does: each kata's command from "
          f"{WORKFLOW_FILE}, environment cut to PATH and HOME, the step's time limit.")
    try:
        report = grade(only=only, stream=args.verbose)
    except ReporterCrash as crash:
        print(f"error: the reporter would crash: {crash}", file=sys.stderr)
        return 1
    _print_report(report)
    return 1 if report.failed else 0


def _grade_one_submission(args, katas: list[catalog.Kata]) -> int:
    """`grade --sandbox [--submission DIR]`: one checkout (default: this one) graded as
    grade-submissions grades each student, in the sandbox unless --no-sandbox."""
    from rich.table import Table

    folder = pathlib.Path(args.submission or catalog.ROOT)
    if not folder.is_dir():
        raise UsageProblem(f"{folder} is not a checkout of the assignment")
    if not args.no_sandbox:
        try:
            sandbox.check_available()
        except sandbox.SandboxUnavailable as problem:
            raise UsageProblem(str(problem)) from None
    grader = submissions.Grader(katas, sandbox=not args.no_sandbox)
    with tempfile.TemporaryFile() as log:
        grade = grader.grade(folder, submissions.pristine_digests(), log)
        if args.verbose:
            log.seek(0)
            sys.stdout.buffer.write(log.read())
    notes = {note.split(" ", 1)[0]: note.split(" ", 1)[1] for note in grade.notes}
    table = Table(title=f"Grading {folder} "
                        f"({'in the sandbox' if not args.no_sandbox else 'WITHOUT a sandbox'})")
    for column in ("kata", "points", "max", "why"):
        table.add_column(column, overflow="fold")
    for kata in katas:
        table.add_row(str(kata.number), str(grade.points[kata.id]), str(kata.points),
                      notes.get(f"k{kata.number:02d}", ""))
    console = terminal.console()
    console.print(table)
    console.print(f"Points {grade.total}/{sum(k.points for k in katas)}")
    return 0 if grade.total == sum(k.points for k in katas) else 1


def _print_report(report: Report) -> None:
    from rich.table import Table

    table = Table(title="Autograding (as the Classroom reporter counts it)")
    for column in ("step", "test", "status", "score", "max", "why"):
        table.add_column(column, overflow="fold")
    for runner, result in report.rows:
        for test in result.get("tests", []):
            why = "" if test.get("status") == "pass" else test.get("message") or ""
            if why == "failed with exit code 1" and re.fullmatch(r"kata-\d+", runner):
                why += f" (details: make kata N={int(runner.split('-')[1])})"
            table.add_row(runner, str(test.get("name")), str(test.get("status")),
                          points_text(test.get("score", 0)), str(result.get("max_score", 0)), why)
    console = terminal.console()
    console.print(table)
    console.print(report.points_line)
