"""GitHub Classroom autograding: the workflow and the legacy autograding.json, generated from the
catalog, and a faithful local run of them (`python -m dojo grade`).

One source: `grader_steps()` turns the catalog into one command-grader step per kata. The workflow
text, the legacy JSON and the local grading all come from it, and the local grading reads the steps
back out of the committed workflow file, so it runs exactly what GitHub would run.

How the real actions behave (read from their code at tag v1; see README, "For instructors"):
  command grader   runs `command` with /bin/sh, an environment cut down to PATH, HOME, FORCE_COLOR and
                   DOTNET_*, and `timeout` in MINUTES; exit 0 = pass (max-score), anything else =
                   fail ("failed with exit code 1"), a timeout = error ("Command timed out"). It
                   always succeeds and writes its result as base64 JSON to the step output `result`.
  reporter         reads `<ID>_RESULTS` (the step id uppercased, hyphens kept) for each id of
                   `runners`; a missing or empty variable crashes it and no points are reported at
                   all. That is why every generated variable falls back to a ready-made "error"
                   result: a kata whose step never produced a result loses its own points, with the
                   reason, and the reporter still reports everyone else's.

Grading does not pay TensorFlow's import per kata: each command is a thin client of the warm runner
(dojo/warm.py), which imports TensorFlow once, forks one child per kata and kills a child that
outlives the kata's hard deadline.

This module must not import TensorFlow: the verbs that only write or check files answer at once.
"""
from __future__ import annotations

import argparse
import base64
import dataclasses
import json
import math
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time

from dojo import catalog

WORKFLOW_FILE = pathlib.Path(".github") / "workflows" / "classroom.yml"
LEGACY_FILE = pathlib.Path(".github") / "classroom" / "autograding.json"
COMMAND_GRADER = "classroom-resources/autograding-command-grader@v1"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
PYTHON_VERSION = "3.11"
INSTALL_COMMAND = "python -m pip install -e ."
# Seconds added to a kata's hard deadline for its step's time limit: the first step also starts the
# warm runner (imports TensorFlow and builds the model zoo), which takes 5-30 s on a hosted runner.
IMPORT_HEADROOM = 90
# Every variable a command needs is written inline: the command grader passes only PATH and HOME.
COMMAND_ENV = "TF_CPP_MIN_LOG_LEVEL=2 KERAS_BACKEND=tensorflow"
MISSING_MESSAGE = ("no result: this kata's step did not finish (crashed, cancelled or skipped); "
                   "0 points for it, the other katas keep theirs")


class WorkflowError(ValueError):
    """The workflow file is not in the format this module writes."""


@dataclasses.dataclass(frozen=True)
class GraderStep:
    id: str
    test_name: str
    command: str
    timeout: float  # minutes, as the command grader reads it
    max_score: int
    setup_command: str = ""

    @property
    def kata_number(self) -> int | None:
        match = re.fullmatch(r"kata-(\d+)", self.id)
        return int(match.group(1)) if match else None


def step_id(kata: catalog.Kata) -> str:
    return f"kata-{kata.number:02d}"


def step_timeout_minutes(kata: catalog.Kata) -> int:
    """Whole minutes (the legacy grader and the Python grader accept nothing else)."""
    from dojo.cli import hard_deadline

    return math.ceil((hard_deadline(kata) + IMPORT_HEADROOM) / 60)


def grader_command(kata: catalog.Kata) -> str:
    return f"{COMMAND_ENV} python -m dojo run {kata.number} --warm"


def grader_steps(katas: list[catalog.Kata] | None = None) -> list[GraderStep]:
    """The single source of what Classroom runs: one step per kata of the catalog."""
    katas = catalog.load() if katas is None else katas
    return [GraderStep(id=step_id(k), test_name=f"Kata {k.number}: {k.title}",
                       command=grader_command(k), timeout=step_timeout_minutes(k),
                       max_score=k.points) for k in katas]


def results_variable(step_id_: str) -> str:
    """The reporter's environment variable for a step: `kata-01` -> `KATA-01_RESULTS`."""
    return f"{step_id_.upper()}_RESULTS"


def encode(result: dict) -> str:
    return base64.b64encode(json.dumps(result, separators=(",", ":")).encode()).decode()


def decode(value: str) -> dict:
    return json.loads(base64.b64decode(value).decode("utf-8"))


def missing_result(step: GraderStep) -> dict:
    """What the reporter reads for a step that wrote no result: an error worth 0 points."""
    return {"version": 1, "status": "error", "max_score": step.max_score,
            "tests": [{"name": step.test_name, "status": "error", "score": 0,
                       "message": MISSING_MESSAGE, "line_no": 0}]}


def reporter_expression(step: GraderStep) -> str:
    return f"${{{{ steps.{step.id}.outputs.result || '{encode(missing_result(step))}' }}}}"


# --- the generated files -----------------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + str(text).replace("'", "''") + "'"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


HEADER = """\
# GitHub Classroom autograding, generated from dojo/catalog.toml by `python -m dojo classroom`.
# Do not edit by hand: change the catalog and regenerate (a test fails when this file is stale).
# One command-grader step per kata, worth the kata's points; each command is a thin client of the
# warm runner, so TensorFlow is imported once for the whole run. `make grade` runs these same
# commands locally. A kata whose step writes no result scores 0 (the fallback after `||`);
# the others keep their points.
"""


def workflow_text(katas: list[catalog.Kata] | None = None) -> str:
    steps = grader_steps(katas)
    out = [HEADER.rstrip("\n"),
           "name: Autograding Tests",
           "'on': [push, repository_dispatch]",
           "permissions:",
           "  checks: write",
           "  actions: read",
           "  contents: read",
           "jobs:",
           "  run-autograding-tests:",
           "    runs-on: ubuntu-latest",
           "    if: github.actor != 'github-classroom[bot]'",
           "    steps:",
           "      - name: Checkout code",
           "        uses: actions/checkout@v4",
           "      - name: Set up Python",
           "        uses: actions/setup-python@v5",
           "        with:",
           f"          python-version: {_q(PYTHON_VERSION)}",
           "          cache: pip",
           "          cache-dependency-path: pyproject.toml",
           "      - name: Install the katas and their dependencies",
           f"        run: {INSTALL_COMMAND}"]
    for step in steps:
        out += [f"      - name: {_q(step.test_name)}",
                f"        id: {step.id}",
                f"        uses: {COMMAND_GRADER}",
                "        with:",
                f"          test-name: {_q(step.test_name)}",
                f"          setup-command: {_q(step.setup_command)}",
                f"          command: {_q(step.command)}",
                f"          timeout: {_number(step.timeout)}",
                f"          max-score: {step.max_score}"]
    out += ["      - name: Autograding Reporter",
            f"        uses: {REPORTER}",
            "        env:"]
    out += [f"          {results_variable(step.id)}: {json.dumps(reporter_expression(step))}"
            for step in steps]
    out += ["        with:",
            f"          runners: {_q(','.join(step.id for step in steps))}"]
    return "\n".join(out) + "\n"


def autograding_json(katas: list[catalog.Kata] | None = None) -> str:
    """The legacy format (education/autograding@v1): same commands, points and minutes."""
    tests = [{"name": s.test_name, "setup": s.setup_command, "run": s.command, "input": "",
              "output": "", "comparison": "included", "timeout": s.timeout, "points": s.max_score}
             for s in grader_steps(katas)]
    return json.dumps({"tests": tests}, indent=2) + "\n"


def generated_files(katas: list[catalog.Kata] | None = None) -> dict[pathlib.Path, str]:
    katas = catalog.load() if katas is None else katas
    return {WORKFLOW_FILE: workflow_text(katas), LEGACY_FILE: autograding_json(katas)}


def write_files(root: pathlib.Path = catalog.ROOT, check: bool = False) -> list[pathlib.Path]:
    """Write the generated files under root; with check, write nothing. Returns the stale ones."""
    stale = []
    for relative, text in generated_files().items():
        path = root / relative
        if not path.exists() or path.read_text() != text:
            stale.append(relative)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    return stale


# --- reading the workflow back: the subset of YAML written above -------------------------------


def parse_yaml(text: str):
    """Parse the YAML subset that workflow_text() writes: block mappings and sequences, quoted and
    plain scalars, one-line flow sequences. Anything else raises WorkflowError."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.rstrip()
        if not stripped or stripped.lstrip().startswith("#"):
            continue
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise WorkflowError(f"line {number}: tabs are not allowed in indentation")
        lines.append([len(stripped) - len(stripped.lstrip()), stripped.lstrip(), number])
    if not lines:
        return None
    value, pos = _block(lines, 0, lines[0][0])
    if pos != len(lines):
        raise WorkflowError(f"line {lines[pos][2]}: unexpected indentation")
    return value


def _block(lines, pos, indent):
    if lines[pos][1].startswith("- ") or lines[pos][1] == "-":
        items = []
        while pos < len(lines) and lines[pos][0] == indent and lines[pos][1].startswith("-"):
            content = lines[pos][1][1:].lstrip()
            if not content:
                raise WorkflowError(f"line {lines[pos][2]}: empty sequence item")
            if _split_key(content) is None:
                items.append(_scalar(content, lines[pos][2]))
                pos += 1
                continue
            # "- key: value" opens a mapping whose keys sit two columns further in
            lines[pos] = [indent + 2, content, lines[pos][2]]
            item, pos = _block(lines, pos, indent + 2)
            items.append(item)
        return items, pos
    mapping = {}
    while pos < len(lines) and lines[pos][0] == indent and not lines[pos][1].startswith("- "):
        split = _split_key(lines[pos][1])
        if split is None:
            raise WorkflowError(f"line {lines[pos][2]}: expected 'key: value'")
        key, rest = split
        where = lines[pos][2]
        pos += 1
        if rest:
            mapping[key] = _scalar(rest, where)
        elif pos < len(lines) and (lines[pos][0] > indent or
                                   (lines[pos][0] == indent and lines[pos][1].startswith("- "))):
            mapping[key], pos = _block(lines, pos, lines[pos][0])
        else:
            mapping[key] = None
    if pos < len(lines) and lines[pos][0] > indent:
        raise WorkflowError(f"line {lines[pos][2]}: unexpected indentation")
    return mapping, pos


_PLAIN_KEY = re.compile(r"^([A-Za-z0-9_.$-][^:'\"]*?):(?:\s+(.*))?$")


def _split_key(content: str):
    if content[:1] in "'\"":
        quote = content[0]
        end = 1
        while True:
            end = content.find(quote, end)
            if end < 0:
                return None
            if quote == "'" and content[end + 1: end + 2] == "'":
                end += 2
                continue
            break
        key = _scalar(content[: end + 1], 0)
        rest = content[end + 1:]
        if not rest.startswith(":") or (len(rest) > 1 and not rest[1].isspace()):
            return None
        return key, rest[1:].strip()
    match = _PLAIN_KEY.match(content)
    if not match:
        return None
    return match.group(1), (match.group(2) or "").strip()


def _scalar(text: str, where: int):
    text = text.strip()
    if text.startswith("'"):
        if len(text) < 2 or not text.endswith("'") or "'" in text[1:-1].replace("''", ""):
            raise WorkflowError(f"line {where}: bad single-quoted string {text}")
        return text[1:-1].replace("''", "'")
    if text.startswith('"'):
        try:
            return json.loads(text)
        except ValueError:
            raise WorkflowError(f"line {where}: bad double-quoted string {text}") from None
    if text.startswith("["):
        if not text.endswith("]"):
            raise WorkflowError(f"line {where}: bad flow sequence {text}")
        inner = text[1:-1].strip()
        return [_scalar(part, where) for part in inner.split(",")] if inner else []
    if text.startswith(("{", "&", "*", "|", ">", "!")):
        raise WorkflowError(f"line {where}: unsupported YAML {text!r}")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d*", text):
        return float(text)
    return text


@dataclasses.dataclass
class Workflow:
    grader_steps: list[GraderStep]
    reporter_env: dict[str, str]
    runners: str
    install_commands: list[str]


def read_workflow(text: str) -> Workflow:
    """The grader steps, the reporter's env and runners, out of a workflow file's text."""
    data = parse_yaml(text)
    try:
        jobs = list(data["jobs"].values())
        if len(jobs) != 1:
            raise WorkflowError("expected exactly one job")
        steps = jobs[0]["steps"]
    except (KeyError, TypeError, AttributeError):
        raise WorkflowError("no jobs.<job>.steps in the workflow") from None
    graders, reporter, installs = [], None, []
    for step in steps:
        uses = str(step.get("uses", ""))
        given = step.get("with") or {}
        if uses.startswith("classroom-resources/autograding-command-grader@"):
            if "id" not in step:
                raise WorkflowError(f"the command-grader step {step.get('name')!r} has no id")
            graders.append(GraderStep(
                id=str(step["id"]), test_name=str(given["test-name"]), command=str(given["command"]),
                timeout=float(given.get("timeout", 10) or 10),
                max_score=int(given.get("max-score", 0) or 0),
                setup_command=str(given.get("setup-command") or "")))
        elif uses.startswith("classroom-resources/autograding-grading-reporter@"):
            reporter = step
        elif "run" in step:
            installs.append(str(step["run"]))
    if reporter is None:
        raise WorkflowError("the workflow has no autograding-grading-reporter step")
    env = {str(k): str(v) for k, v in (reporter.get("env") or {}).items()}
    return Workflow(graders, env, str((reporter.get("with") or {}).get("runners", "")), installs)


_EXPRESSION = re.compile(r"^\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.result\s*"
                         r"(?:\|\|\s*'([^']*)'\s*)?\}\}$")


def resolve_env(template: dict[str, str], outputs: dict[str, str]) -> dict[str, str]:
    """Evaluate the reporter's `${{ steps.ID.outputs.result || 'fallback' }}` values as GitHub
    does: a missing or empty output is falsy, so the fallback literal is used."""
    resolved = {}
    for name, value in template.items():
        match = _EXPRESSION.match(value.strip())
        if not match:
            if "${{" in value:
                raise WorkflowError(f"unsupported expression in {name}: {value}")
            resolved[name] = value
            continue
        output = outputs.get(match.group(1), "")
        resolved[name] = output or (match.group(2) or "")
    return resolved


# --- the two actions, simulated in Python ------------------------------------------------------


def grader_environment(path: str | None = None, home: str | None = None) -> dict[str, str]:
    """Exactly what the command grader passes to the command (its src/main.js)."""
    return {"PATH": os.environ.get("PATH", "") if path is None else path, "FORCE_COLOR": "true",
            "DOTNET_CLI_HOME": "/tmp", "DOTNET_NOLOGO": "true",
            "HOME": os.environ.get("HOME", "") if home is None else home}


@dataclasses.dataclass
class CommandRun:
    returncode: int | None  # None: timed out
    output: bytes
    seconds: float


def _exec(command: str, env: dict, cwd, timeout_minutes: float, stream) -> CommandRun:
    """execSync(command, {timeout, env, shell}): /bin/sh -c, killed at the timeout. Unlike the
    action (which signals only the shell) the whole process group goes, to leave nothing behind."""
    start = time.monotonic()
    proc = subprocess.Popen(["/bin/sh", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=None if stream else subprocess.PIPE,
                            stderr=None if stream else subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout_minutes * 60)
        return CommandRun(proc.returncode, out or b"", time.monotonic() - start)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            out, _ = proc.communicate(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            out, _ = proc.communicate()
        return CommandRun(None, out or b"", time.monotonic() - start)


def command_grader_result(step: GraderStep, status: str, message: str | None = None,
                          duration: int | None = 0) -> dict:
    """generateResult() of the command grader."""
    test = {"name": step.test_name, "status": status,
            "score": step.max_score if status == "pass" else 0, "message": message,
            "test_code": step.command, "filename": "", "line_no": 0, "duration": duration}
    if message is None:
        del test["message"]  # JSON.stringify drops undefined: a pass has no message
    return {"version": 1, "status": status, "max_score": step.max_score, "tests": [test]}


def command_grader(step: GraderStep, cwd=None, env: dict | None = None,
                   stream: bool = False) -> tuple[dict, CommandRun | None]:
    """The command grader's run(): the same statuses, messages and result JSON."""
    env = grader_environment() if env is None else env

    def result(status, message, duration):
        return command_grader_result(step, status, message, duration)

    if step.setup_command:
        setup = _exec(step.setup_command, env, cwd, step.timeout, stream)
        if setup.returncode != 0:
            message = "Command timed out" if setup.returncode is None else "failed with exit code 1"
            return result("error" if setup.returncode is None else "fail", message, None), setup
    run = _exec(step.command, env, cwd, step.timeout, stream)
    duration = int(run.seconds * 1000)
    if run.returncode is None:
        return result("error", "Command timed out", duration), run
    if run.returncode != 0:
        return result("fail", "failed with exit code 1", duration), run
    return result("pass", None, duration), run


class ReporterCrash(RuntimeError):
    """What the real reporter does on a missing or unreadable result: no points at all."""


@dataclasses.dataclass
class Report:
    rows: list[tuple[str, dict]]  # (runner, decoded result)
    total: float
    maximum: int
    text: str

    @property
    def failed(self) -> bool:
        return any(r["status"] in ("fail", "error") for _, r in self.rows)

    @property
    def points_line(self) -> str:
        return f"Points {_points(self.total)}/{self.maximum}" if self.maximum else ""


def _points(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def reporter(runners: str, env: dict[str, str]) -> Report:
    """The grading reporter's main.js: read `<ID>_RESULTS` per runner, total the points."""
    rows = []
    for runner in runners.split(","):
        name = runner.strip().upper() + "_RESULTS"
        value = env.get(name)
        if not value:
            raise ReporterCrash(f"{name} is missing or empty: the real reporter crashes here and "
                                f"reports no points at all")
        try:
            rows.append((runner.strip(), decode(value)))
        except ValueError as error:
            raise ReporterCrash(f"{name} is not base64 JSON: {error}") from None
    lines, total, maximum = [], 0.0, 0
    for runner, result in rows:
        lines.append(f"Processing: {runner}")
        for test in result.get("tests", []):
            mark = {"pass": "PASS", "fail": "FAIL"}.get(test.get("status"), "ERROR")
            extra = f"  {test['message']}" if test.get("status") != "pass" and test.get("message") else ""
            lines.append(f"  {mark} {test.get('name')}{extra}")
        if result.get("max_score"):
            maximum += result["max_score"]
            total += sum(t.get("score", 0) for t in result.get("tests", []))
    report = Report(rows, total, maximum, "")
    lines.append(report.points_line)
    report.text = "\n".join(lines)
    return report


# --- `python -m dojo classroom` and `python -m dojo grade` --------------------------------------


def cmd_classroom(args) -> int:
    stale = write_files(check=args.check)
    if args.check:
        if stale:
            print("out of date: " + ", ".join(map(str, stale)) +
                  " (run `python -m dojo classroom` and commit the result)", file=sys.stderr)
            return 1
        print("The Classroom workflow and autograding.json match the catalog.")
        return 0
    for path in stale:
        print(f"wrote {path}")
    if not stale:
        print("The Classroom workflow and autograding.json were already up to date.")
    return 0


def _parse_only(text: str | None, numbers: list[int]) -> set[int] | None:
    if not text:
        return None
    chosen = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        first, _, last = part.partition("-")
        if not (first.isdigit() and (not last or last.isdigit())):
            from dojo.cli import UsageProblem

            raise UsageProblem(f"--only takes kata numbers and ranges such as 1-5,8, not {text!r}")
        chosen.update(range(int(first), int(last or first) + 1))
    return chosen & set(numbers)


def grade(root: pathlib.Path = catalog.ROOT, only: set[int] | None = None, stream: bool = False,
          echo=print) -> Report:
    """Run the committed workflow's grader steps here, as the actions would, and report."""
    path = root / WORKFLOW_FILE
    if not path.exists():
        from dojo.cli import UsageProblem

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
    katas = catalog.load()
    only = _parse_only(args.only, [k.number for k in katas])
    if only is not None and not only:
        from dojo.cli import UsageProblem

        raise UsageProblem(f"--only {args.only} names no kata of the catalog")
    if args.sandbox or args.submission:
        return _grade_one_submission(args, [k for k in katas if only is None or k.number in only])
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
    from rich.console import Console
    from rich.table import Table

    from dojo import sandbox, submissions
    from dojo.cli import UsageProblem

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
    console = Console(highlight=False)
    console.print(table)
    console.print(f"Points {grade.total}/{sum(k.points for k in katas)}")
    return 0 if grade.total == sum(k.points for k in katas) else 1


def _print_report(report: Report) -> None:
    from rich.console import Console
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
                          _points(test.get("score", 0)), str(result.get("max_score", 0)), why)
    console = Console(highlight=False)
    console.print(table)
    console.print(report.points_line)


def add_verbs(verbs) -> None:
    """Register the instructor's verbs on the CLI's subparsers (called from dojo/cli.py)."""
    classroom = verbs.add_parser("classroom", help="write .github/workflows/classroom.yml and the "
                                 "legacy .github/classroom/autograding.json from the catalog")
    classroom.add_argument("--check", action="store_true", help="only check that they are up to date")
    classroom.set_defaults(func=cmd_classroom)
    grade_ = verbs.add_parser("grade", help="run the Classroom workflow's grader commands here and "
                              "print the points as the reporter does")
    grade_.add_argument("--only", metavar="KATAS", help="only these katas, e.g. 1-5,8")
    grade_.add_argument("-v", "--verbose", action="store_true", help="show each command's output")
    grade_.add_argument("--sandbox", action="store_true",
                        help="grade as grade-submissions does, in the bubblewrap sandbox, instead "
                             "of running the workflow's commands: to try one submission safely")
    grade_.add_argument("--submission", metavar="DIR",
                        help="with --sandbox: the checkout to grade (default: this one)")
    grade_.add_argument("--no-sandbox", action="store_true", help=argparse.SUPPRESS)
    grade_.set_defaults(func=cmd_grade)

    def cmd_release(args):
        from dojo import release

        return release.cmd_release(args)

    release_ = verbs.add_parser("release", help="write the student template (stubs, no solutions) to DEST")
    release_.add_argument("dest", nargs="?", metavar="DEST")
    release_.add_argument("--allow-modified-katas", action="store_true",
                          help="take katas/ as they are even when they are not the recorded stubs")
    release_.add_argument("--no-git", action="store_true",
                          help="do not make DEST a git repository with one commit")
    release_.set_defaults(func=cmd_release)

    def cmd_grade_submissions(args):
        from dojo import submissions

        return submissions.cmd_grade_submissions(args)

    bulk = verbs.add_parser("grade-submissions", help="grade a folder of student checkouts with "
                            "this repository's own tests; write a CSV")
    bulk.add_argument("submissions", nargs="?", metavar="DIR",
                      help="one subfolder per student, each a checkout of the assignment")
    bulk.add_argument("--out", default="grades.csv", help="the CSV to write (default grades.csv)")
    bulk.add_argument("--only", metavar="KATAS", help="grade only these katas, e.g. 1-5,8")
    bulk.add_argument("--no-sandbox", action="store_true",
                      help="run the students' code WITHOUT the bubblewrap sandbox, with your rights")
    bulk.add_argument("--parallel", type=int, metavar="N",
                      help="students graded side by side (default: one per core, at most 4)")
    bulk.add_argument("--shard", metavar="I/N",
                      help="grade only every N-th student from the I-th (one job of a matrix; "
                           "merge the CSVs with merge-grades)")
    bulk.set_defaults(func=cmd_grade_submissions)

    def cmd_merge_grades(args):
        from dojo import submissions

        return submissions.cmd_merge_grades(args)

    merge = verbs.add_parser("merge-grades", help="merge the CSVs of grade-submissions shards")
    merge.add_argument("parts", nargs="+", metavar="CSV", help="the shards' CSV files")
    merge.add_argument("--out", default="grades.csv", help="the merged CSV (default grades.csv)")
    merge.set_defaults(func=cmd_merge_grades)
