"""GitHub Classroom's two grader actions run for real: their own Node code (dist/main.js at tag v1)
under `node`, exactly as the Actions runner starts them (INPUT_* variables from the workflow's
`with:`, the output `result` read from a GITHUB_OUTPUT file).

Their code is never part of this repository: it is exported, at run time, from a local mirror of the
two action repositories (the folder named by CLASSROOM_ACTIONS_MIRROR, holding
`classroom-resources+autograding-command-grader/repo` and `...+autograding-grading-reporter/repo`,
bare git directories or checkouts). The kit test that compares them with the Python simulation
(dojo/classroom/actions.py) and `make bench-classroom` both run them through this module.
"""
from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

from dojo.classroom import workflow as generated
from dojo.classroom import workflow_file

MIRROR_ENV = "CLASSROOM_ACTIONS_MIRROR"
ACTIONS = {"grader": "classroom-resources+autograding-command-grader",
           "reporter": "classroom-resources+autograding-grading-reporter"}


def mirror() -> pathlib.Path | None:
    """The folder CLASSROOM_ACTIONS_MIRROR names, or None when it is not set."""
    value = os.environ.get(MIRROR_ENV)
    return pathlib.Path(value) if value else None


def unavailable() -> str:
    """Why the real actions cannot run here ("" when they can)."""
    if shutil.which("node") is None:
        return "node is not installed"
    if mirror() is None:
        return (f"set {MIRROR_ENV} to a folder holding the grader actions' git snapshots to run "
                f"them for real")
    return ""


def export(dest: pathlib.Path) -> dict[str, pathlib.Path] | None:
    """Both actions' dist/main.js, copied out of the mirror into `dest`; None if either is missing."""
    found = {kind: _export_action(kind, dest) for kind in ACTIONS}
    return None if None in found.values() else found


def _export_action(kind: str, dest: pathlib.Path) -> pathlib.Path | None:
    repo = mirror() / ACTIONS[kind] / "repo"
    target = dest / kind / "dist" / "main.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    if (repo / "dist" / "main.js").is_file():
        shutil.copy(repo / "dist" / "main.js", target)
        return target
    try:
        code = subprocess.run(["git", "-C", str(repo), "show", "v1:dist/main.js"], capture_output=True,
                              check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    target.write_bytes(code)
    return target


def _path_with_this_python() -> str:
    """setup-python puts its interpreter first on PATH; here, the one running this module."""
    return os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")


class GraderFailed(RuntimeError):
    """The command grader itself (not the command it ran) failed."""


def grader_step(actions: dict, step_yaml: dict, cwd, home) -> str:
    """One command-grader step as the Actions runner runs it: inputs as INPUT_<NAME> (uppercased,
    spaces to underscores, hyphens kept), the output `result` read from the GITHUB_OUTPUT file."""
    output = pathlib.Path(home) / f"output-{step_yaml['id']}.txt"
    output.write_text("")
    env = {"PATH": _path_with_this_python(), "HOME": str(home), "GITHUB_OUTPUT": str(output),
           "DOJO_SECRET_PROBE": "must not reach the command", "DOJO_WARM_SOCKET": "/nonexistent"}
    for name, value in step_yaml["with"].items():
        env[f"INPUT_{name.replace(' ', '_').upper()}"] = str(value)
    # the command's output goes to a file, not a pipe: a child the grader's timeout does not reach
    # (it signals only the shell) would hold a pipe open
    log = pathlib.Path(home) / f"log-{step_yaml['id']}.txt"
    with open(log, "wb") as out:
        proc = subprocess.run(["node", str(actions["grader"])], cwd=cwd, env=env, stdout=out,
                              stderr=subprocess.STDOUT,
                              timeout=float(step_yaml["with"]["timeout"]) * 60 + 120)
    if proc.returncode != 0:
        raise GraderFailed(f"the command grader itself failed:\n{log.read_text()[-3000:]}")
    match = re.search(r"^result<<(\S+)\n(.*?)\n\1$", output.read_text(), flags=re.M | re.S)
    return match.group(2) if match else ""


def reporter(actions: dict, reporter_yaml: dict, outputs: dict, home) -> dict:
    """The grading reporter on the steps' outputs: its points, rows per runner and whether it failed."""
    env = {"PATH": _path_with_this_python(), "HOME": str(home),
           "INPUT_RUNNERS": str(reporter_yaml["with"]["runners"]), "INPUT_TOKEN": "unused"}
    env.update(workflow_file.resolve_env(reporter_yaml.get("env") or {}, outputs))
    proc = subprocess.run(["node", str(actions["reporter"])], env=env, capture_output=True, text=True,
                          timeout=120)
    points = re.search(r"::notice title=Autograding complete::Points (\S+)/(\d+)", proc.stdout)
    rows = dict(re.findall(r"│ ([a-z][\w-]*)\s*│ ([\d.]+)\s*│", proc.stdout))
    return {"points": (float(points.group(1)), int(points.group(2))) if points else None,
            "rows": {k: float(v) for k, v in rows.items()}, "failed": "::error::" in proc.stdout,
            "stdout": proc.stdout, "stderr": proc.stderr}


def run_workflow(actions: dict, repo: pathlib.Path, home: pathlib.Path) -> dict:
    """Every grader step of the repository's workflow in order, then the reporter."""
    data = workflow_file.parse_yaml((repo / generated.WORKFLOW_FILE).read_text())
    (job,) = data["jobs"].values()
    outputs = {}
    for step in job["steps"]:
        if str(step.get("uses", "")).startswith("classroom-resources/autograding-command-grader@"):
            outputs[step["id"]] = grader_step(actions, step, repo, home)
    report = reporter(actions, job["steps"][-1], outputs, home)
    report["results"] = {i: generated.decode(v) for i, v in outputs.items() if v}
    return report
