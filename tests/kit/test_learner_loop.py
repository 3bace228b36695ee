"""The learner's loop, driven without a person: list, progress, reset, solution, inspect, watch
(with file writes), pair (turns and a co-authored commit), and Ctrl-C.

Everything runs in a copy of the repository (a fresh git repository in tmp_path) with its own
warm-runner socket and state, so this checkout's katas/ and .dojo/ are never touched.
"""
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import pytest

from dojo import catalog

KATA = catalog.find(1)


def _tracked_files():
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=catalog.ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\n")
    return [name for name in listed if name and (catalog.ROOT / name).is_file()]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("learner-repo")
    for name in _tracked_files():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(catalog.ROOT / name, target)
    git = dict(cwd=root, capture_output=True, check=True)
    subprocess.run(["git", "init", "-q"], **git)
    subprocess.run(["git", "add", "-A"], **git)
    subprocess.run(["git", "-c", "user.name=Kit", "-c", "user.email=kit@example.org", "commit", "-qm",
                    "template"], **git)
    socket = pathlib.Path(f"/tmp/dojo-kit-{os.getpid()}.sock")
    env = {**os.environ, "DOJO_WARM_SOCKET": str(socket), "GIT_AUTHOR_NAME": "Kit",
           "GIT_AUTHOR_EMAIL": "kit@example.org", "GIT_COMMITTER_NAME": "Kit",
           "GIT_COMMITTER_EMAIL": "kit@example.org", "COLUMNS": "120"}
    env.pop("KATA_IMPL", None)
    env.pop("DOJO_STATE_DIR", None)
    yield root, env
    pid_file = socket.with_suffix(".pid")
    if pid_file.exists():
        os.kill(int(pid_file.read_text()), signal.SIGTERM)


def dojo(repo, *args, timeout=300, stdin=subprocess.DEVNULL):
    root, env = repo
    return subprocess.run([sys.executable, "-m", "dojo", *args], cwd=root, env=env, text=True,
                          capture_output=True, timeout=timeout, stdin=stdin)


def kata_file(repo):
    return repo[0] / "katas" / KATA.kata_file.name


def solve(repo):
    shutil.copy(repo[0] / "solutions" / KATA.solution_file.name, kata_file(repo))


def unsolve(repo):
    subprocess.run(["git", "checkout", "--", f"katas/{KATA.kata_file.name}"], cwd=repo[0], check=True)


def test_list_marks_pristine_stubs_not_started(repo):
    result = dojo(repo, "list")
    assert result.returncode == 0
    assert "not started" in result.stdout and "passed" not in result.stdout


def test_progress_runs_only_what_changed_and_awards_points(repo):
    solve(repo)
    first = dojo(repo, "progress")
    assert "Re-running 1 kata(s)" in first.stdout, first.stdout + first.stderr
    assert f"points {KATA.points}/" in first.stdout
    start = time.monotonic()
    second = dojo(repo, "progress")
    assert "Re-running" not in second.stdout  # cached: the kata file did not change
    assert time.monotonic() - start < 10
    listed = dojo(repo, "list")
    assert "passed" in listed.stdout
    unsolve(repo)


def test_solution_only_after_passing_or_with_force(repo):
    refused = dojo(repo, "solution", "1")
    assert refused.returncode == 2 and "solve it first" in refused.stderr
    forced = dojo(repo, "solution", "1", "--force")
    assert forced.returncode == 0 and "def freeze_first_layers" in forced.stdout


def test_solution_without_a_solutions_folder_says_so(repo, tmp_path):
    hidden = repo[0] / "solutions"
    moved = tmp_path / "solutions"
    hidden.rename(moved)
    try:
        result = dojo(repo, "solution", "1", "--force")
    finally:
        moved.rename(hidden)
    assert result.returncode == 2 and "not part of this copy" in result.stderr


def test_reset_restores_the_stub_and_keeps_a_backup(repo):
    kata_file(repo).write_text("def freeze_first_layers(model, n=2):\n    return 'my attempt'\n")
    refused = dojo(repo, "reset", "1")  # no terminal to ask: refuses without --yes
    assert refused.returncode == 2 and "--yes" in refused.stderr
    done = dojo(repo, "reset", "1", "--yes")
    assert done.returncode == 0, done.stderr
    assert kata_file(repo).read_bytes() == KATA.kata_file.read_bytes()
    backups = list((repo[0] / ".dojo" / "backups").glob("k01_*.py"))
    assert backups and "my attempt" in backups[0].read_text()


def test_inspect_shows_freeze_maps_of_the_learners_code(repo):
    solve(repo)
    try:
        result = dojo(repo, "inspect", "1")
    finally:
        unsolve(repo)
    assert "Freeze map" in result.stdout and "dense_a" in result.stdout
    assert "max change" in result.stdout


def _start(repo, *args):
    """The command as a learner starts it in a terminal, where Ctrl-C interrupts: SIGINT at its
    default even when these tests run as a background job (whose shell ignores SIGINT, and an
    ignored signal is inherited)."""
    root, env = repo
    return subprocess.Popen([sys.executable, "-m", "dojo", *args], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _read_until(proc, marker, seconds=240):
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"{marker!r} never appeared:\n{''.join(seen)}")


def test_watch_reruns_on_save_and_survives_a_syntax_error(repo):
    proc = _start(repo, "watch", "1", "--max-runs", "3")
    try:
        first = _read_until(proc, "Watching")
        assert "not done yet" in first
        kata_file(repo).write_text("def freeze_first_layers(model, n=2)\n    return model\n")
        broken = _read_until(proc, "Watching")
        assert "SyntaxError" in broken and "Traceback" not in broken
        solve(repo)
        fixed = _read_until(proc, "Watching")
        assert "Kata 1 passed" in fixed
        assert proc.wait(60) == 0
    finally:
        proc.kill()
        unsolve(repo)


def test_watch_stops_cleanly_on_ctrl_c(repo):
    proc = _start(repo, "watch", "1")
    try:
        _read_until(proc, "Watching")
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=60)[0]
        assert proc.returncode == 0
        assert "Stopped watching" in rest and "Traceback" not in rest
    finally:
        proc.kill()


def test_pair_switches_drivers_and_commits_green_with_both_names(repo):
    solve(repo)
    proc = _start(repo, "pair", "1", "--names", "Ann <ann@example.org>,Bob <bob@example.org>",
                  "--every", "0.001", "--commit", "yes", "--max-runs", "1")
    out = proc.communicate(timeout=300)[0]
    assert proc.returncode == 0, out
    assert "Driver: Ann" in out and "Driver: Bob" in out
    assert "Committed" in out
    message = subprocess.run(["git", "log", "-1", "--format=%B"], cwd=repo[0], capture_output=True,
                             text=True).stdout
    assert "Kata 1 passes" in message
    assert "Co-authored-by: Ann <ann@example.org>" in message
    assert "Co-authored-by: Bob <bob@example.org>" in message
    subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=repo[0], check=True)


def test_a_run_ahead_does_not_keep_the_current_step_waiting(repo):
    """A run started ahead (here kata 22's, which sleeps at import) is a child of the warm runner:
    it must not inherit the current client's connection, or `run 21` would not end before kata
    22's run does (the client reads until the connection closes)."""
    root, env = repo
    katas = [catalog.find(n) for n in (19, 20, 21)]
    try:
        for kata in katas:
            shutil.copy(root / "solutions" / kata.solution_file.name, root / "katas" / kata.kata_file.name)
        (root / "katas" / catalog.find(22).kata_file.name).write_text("import time\ntime.sleep(40)\n")
        assert dojo(repo, "run", "19", "--warm").returncode == 0
        assert dojo(repo, "run", "20", "--warm").returncode == 0  # katas 21 and 22 run ahead
        time.sleep(1)  # kata 21's run, started ahead, has time to finish; kata 22's sleeps on
        started = time.monotonic()
        assert dojo(repo, "run", "21", "--warm").returncode == 0
        took = time.monotonic() - started
        # kata 21 alone takes a second or two; waiting for kata 22's run would take 40 s
        assert took < 20, f"run 21 took {took:.0f} s: it waited for the run of kata 22 ahead of it"
    finally:
        subprocess.run(["git", "checkout", "--", "katas"], cwd=root, check=True)
        dojo(repo, "run", "1", "--warm")  # off the grader's path: ends the runs ahead


def test_pair_needs_two_people_with_emails(repo):
    result = dojo(repo, "pair", "1", "--names", "Zed")
    assert result.returncode == 2 and "email" in result.stderr


def test_grading_runs_the_next_kata_ahead_but_never_serves_a_stale_result(repo):
    """The warm runner, seeing `run 17` then `run 18` (the grader's order), runs katas 19 and 20
    ahead. Kata 19's file changes before it is asked for: that early run must be thrown away.
    Kata 20's early run matches exactly: its result is served."""
    root, env = repo
    stats = root / ".dojo" / "warm-stats.json"

    def hits():
        return json.loads(stats.read_text()).get("speculative_hits", 0) if stats.exists() else 0

    katas = [catalog.find(n) for n in (17, 18, 19, 20)]
    try:
        for kata in (katas[0], katas[1], katas[3]):
            shutil.copy(root / "solutions" / kata.solution_file.name, root / "katas" / kata.kata_file.name)
        assert dojo(repo, "run", "17", "--warm").returncode == 0
        before = hits()
        assert dojo(repo, "run", "18", "--warm").returncode == 0  # kata 19's stub now runs ahead
        shutil.copy(root / "solutions" / katas[2].solution_file.name,
                    root / "katas" / katas[2].kata_file.name)
        nineteen = dojo(repo, "run", "19", "--warm")
        assert nineteen.returncode == 0 and "Kata 19 passed" in nineteen.stdout, nineteen.stdout
        assert hits() == before
        twenty = dojo(repo, "run", "20", "--warm")
        assert twenty.returncode == 0 and "Kata 20 passed" in twenty.stdout, twenty.stdout
        assert hits() == before + 1
    finally:
        subprocess.run(["git", "checkout", "--", "katas"], cwd=root, check=True)
