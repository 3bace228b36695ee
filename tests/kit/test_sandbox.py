"""Hostile submissions, graded beside a correct student: in the bubblewrap sandbox no attack
reaches its target and the correct student keeps full points; with --no-sandbox each attack does
reach it (so these tests can fail).

The class is graded from a student template (`release.build`) as the instructor's kit, so that an
attack that succeeds without the sandbox harms a copy, never this repository. In CI bubblewrap is
installed by .ci/run, which sets DOJO_REQUIRE_SANDBOX: these tests then fail rather than skip
when it cannot start.
"""
import csv
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import threading
import uuid

import pytest

from dojo import catalog
from dojo.classroom import release, sandbox

KATA = catalog.load()[0]  # kata 1: each hostile file attacks, then answers it (or not)
MARKER = f"hostile-{uuid.uuid4().hex[:12]}"
SECRET = f"secret-{uuid.uuid4().hex}"
SOLUTION_LINE = "A frozen model hides every child's weights"  # a line of solutions/k01's code


def solution_code() -> str:
    return KATA.solution_file.read_text()


def hostile_files(home: pathlib.Path, outside: pathlib.Path, port: int) -> dict[str, str]:
    """Student name -> the katas/k01 file it submits. Each does its attack when imported, which
    happens in a test worker, as a student's code always runs."""
    answer = solution_code()
    return {
        # What it reads, it raises: a failure message lands in the log and the CSV's notes.
        "reads_secrets": f"""
import os
leaked = []
for path in ({str(KATA.solution_file)!r}, os.path.expanduser("~/secret.txt"),
             {str(home / "secret.txt")!r}):
    try:
        leaked.append(open(path).read())
    except OSError:
        pass
if leaked:
    raise RuntimeError("LEAKED " + " ".join(leaked))
""" + answer,
        "writes_outside": f"""
try:
    with open({str(outside)!r}, "w") as out:
        out.write("tampered by {MARKER}")
except OSError as error:
    print("could not write outside:", type(error).__name__)
""" + answer,
        "opens_a_connection": f"""
import socket
try:
    with socket.create_connection(("127.0.0.1", {port}), timeout=3) as conn:
        conn.sendall(b"{MARKER}")
except OSError as error:
    print("no network:", type(error).__name__)
""" + answer,
        "leaves_a_process": f"""
import subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "{MARKER}"],
                 start_new_session=True, stdin=subprocess.DEVNULL,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
""" + answer,
        "forges_results": f"""
import glob, json, os
import dojo.plugin
# The plugin and the files first: once the forged bytes below reach the test runner's pipe, it ends this
# worker at once (a garbled result), and what comes after may never run.
try:
    with open(dojo.plugin.__file__, "a") as plugin:
        plugin.write("\\n# tampered by {MARKER}\\n")
except OSError as error:
    print("could not patch the plugin:", type(error).__name__)
forged = json.dumps({{"version": 1, "exitstatus": 0, "tests": [
    {{"test": "test_all", "nodeid": "x", "kata": 1, "kata_id": "{KATA.id}", "status": "pass",
      "message": "", "points": 1000, "variant": "katas", "duration": 0}}]}})
for path in glob.glob(os.path.join(os.environ.get("DOJO_STATE_DIR", "."), "*.json")) + [
        "results.json"]:
    try:
        open(path, "w").write(forged)
    except OSError:
        pass
for fd in range(3, 64):
    try:
        os.write(fd, forged.encode())
    except OSError:
        pass


def freeze_first_layers(model, n=2):
    raise NotImplementedError("this student forges instead of answering")
""",
        "exits_with_0": f"""
import os


def freeze_first_layers(model, n=2):
    print("{MARKER}: leaving with exit code 0")
    os._exit(0)
""",
    }


class ConnectionLog:
    """A TCP server on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.seen = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                self.seen.append(conn.recv(100))


def marked_processes() -> list[int]:
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if MARKER.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def grade_class(tmp: pathlib.Path, use_sandbox: bool) -> dict:
    """Build a kit copy and a class (alice + the hostile students), grade kata 1, and return
    what every attack could have touched."""
    kit = tmp / "kit"
    release.build(kit, git=False, echo=lambda *_: None)
    home = tmp / "home"
    home.mkdir()
    (home / "secret.txt").write_text(SECRET)
    outside = tmp / "outside.txt"
    outside.write_text("untouched")
    server = ConnectionLog()
    students = tmp / "class"
    files = {"alice": solution_code(), **hostile_files(home, outside, server.port)}
    for name, code in files.items():
        shutil.copytree(kit, students / name)
        (students / name / "katas" / KATA.kata_file.name).write_text(code)
    plugin_before = (kit / "dojo" / "plugin.py").read_text()
    out = tmp / "out" / "grades.csv"
    args = [sys.executable, "-m", "dojo", "grade-submissions", str(students), "--out", str(out),
            "--only", str(KATA.number), *([] if use_sandbox else ["--no-sandbox"])]
    proc = subprocess.run(args, cwd=kit, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "HOME": str(home)})
    server.server.close()
    lingering = marked_processes()
    for pid in lingering:
        os.kill(pid, 9)
    with open(out, newline="") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)} if out.exists() else {}
    logs = "".join(p.read_text(errors="replace") for p in (tmp / "out").glob("grades-logs/*.log"))
    return {"proc": proc, "rows": rows, "logs": logs, "csv": out.read_text() if out.exists() else "",
            "outside": outside.read_text(), "connections": server.seen, "lingering": lingering,
            "plugin_changed": (kit / "dojo" / "plugin.py").read_text() != plugin_before}


@pytest.fixture(scope="module")
def sandboxed(tmp_path_factory):
    try:
        sandbox.check_available()
    except sandbox.SandboxUnavailable as problem:
        if os.environ.get("DOJO_REQUIRE_SANDBOX"):  # set by .ci/run, which installs bubblewrap
            pytest.fail(f"the sandbox must be tested here, but: {problem}")
        pytest.skip(str(problem))
    return grade_class(tmp_path_factory.mktemp("sandboxed"), use_sandbox=True)


@pytest.fixture(scope="module")
def unsandboxed(tmp_path_factory):
    return grade_class(tmp_path_factory.mktemp("unsandboxed"), use_sandbox=False)


def points(result, student) -> int:
    return int(result["rows"][student][KATA.id])


def test_the_correct_student_keeps_full_points_beside_hostile_ones(sandboxed):
    assert sandboxed["proc"].returncode == 0, sandboxed["proc"].stderr[-2000:]
    assert points(sandboxed, "alice") == KATA.points
    assert sorted(sandboxed["rows"]) == sorted(["alice", *hostile_files(pathlib.Path(),
                                                                        pathlib.Path(), 0)])


def test_secrets_and_solutions_are_out_of_sight(sandboxed, unsandboxed):
    for text in (sandboxed["logs"], sandboxed["csv"]):
        assert SECRET not in text and SOLUTION_LINE not in text
    assert points(sandboxed, "reads_secrets") == KATA.points, "it read nothing, so it answered"
    assert SECRET in unsandboxed["logs"] and SOLUTION_LINE in unsandboxed["logs"]


def test_nothing_outside_the_sandbox_is_written(sandboxed, unsandboxed):
    assert sandboxed["outside"] == "untouched"
    assert unsandboxed["outside"] == f"tampered by {MARKER}"


def test_there_is_no_network(sandboxed, unsandboxed):
    assert sandboxed["connections"] == []
    assert MARKER.encode() in unsandboxed["connections"]


def test_no_process_outlives_the_run(sandboxed, unsandboxed):
    assert sandboxed["lingering"] == []
    assert unsandboxed["lingering"], "without the sandbox the background process should remain"


def test_forged_results_and_a_patched_plugin_earn_nothing(sandboxed, unsandboxed):
    assert points(sandboxed, "forges_results") == 0
    assert not sandboxed["plugin_changed"]
    assert unsandboxed["plugin_changed"], "without the sandbox the plugin file is writable"


def test_an_exit_with_status_0_inside_a_test_earns_nothing(sandboxed, unsandboxed):
    for result in (sandboxed, unsandboxed):
        assert points(result, "exits_with_0") == 0
        assert f"{MARKER}: leaving with exit code 0" in result["logs"]


def test_without_bubblewrap_grading_stops_and_says_what_to_do(tmp_path):
    (tmp_path / "class" / "alice").mkdir(parents=True)
    env = {**os.environ, "PATH": str(tmp_path)}  # no bwrap on this PATH
    proc = subprocess.run([sys.executable, "-m", "dojo", "grade-submissions", str(tmp_path / "class"),
                           "--out", str(tmp_path / "g.csv")], cwd=catalog.ROOT, capture_output=True,
                          text=True, timeout=120, env=env)
    assert proc.returncode == 2
    assert "install bubblewrap" in proc.stderr and "--no-sandbox" in proc.stderr
    assert not (tmp_path / "g.csv").exists()
