"""GitHub Classroom autograding: the workflow and the legacy autograding.json, generated from the
catalog (`python -m dojo classroom`); grading.py runs them here as GitHub would.

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
"""
from __future__ import annotations

import base64
import dataclasses
import json
import math
import pathlib
import re
import sys

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
    return math.ceil((kata.hard_deadline + IMPORT_HEADROOM) / 60)


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
