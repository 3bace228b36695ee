"""The two GitHub Classroom actions, simulated in Python as their code (tag v1) behaves: the command
grader (a shell command, an environment cut to PATH and HOME, a time limit in minutes, the result
as base64 JSON) and the reporter (which crashes, reporting nothing, on a missing result)."""
from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import time

from dojo.classroom.workflow import GraderStep, decode

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
        return f"Points {points_text(self.total)}/{self.maximum}" if self.maximum else ""


def points_text(value: float) -> str:
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
