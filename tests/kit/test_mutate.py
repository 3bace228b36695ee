"""`make mutate`: the equivalents file is well formed, the dojo/ operators make the mutations they
promise, a mutant the tests must kill is killed, and Ctrl-C leaves solutions/ as it was.

The last three need Cosmic Ray (the `dev` extra, which `make mutate` installs); without it they are
skipped. The two real runs use kata 5, whose first test fails fast on a broken report."""
import hashlib
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from dojo import catalog, mutate

KATA = catalog.find(5)
KILLED_MUTANT = "frozen_layers.append(layer.name) -> pass"  # the report then lists no frozen layer


def digest(folder: pathlib.Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def start(tmp_path, *args):
    return subprocess.Popen([sys.executable, "-m", "dojo", "mutate", str(KATA.number), "--jobs", "1",
                             "--work-dir", str(tmp_path), *args], cwd=catalog.ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "COLUMNS": "200"})


def test_the_equivalents_file_parses_and_every_entry_names_a_kata():
    ids = {k.id for k in catalog.load()}
    entries = mutate.load_equivalents()
    assert all(e.kata in ids and e.reason.strip() and mutate.normal(e.line) for e in entries)


def test_a_malformed_equivalents_entry_is_refused(tmp_path):
    bad = tmp_path / "equivalent.toml"
    bad.write_text('[[equivalent]]\nkata = "k99_nothing"\nline = "x = 1"\nmutated = "x = 2"\nreason = ""\n')
    with pytest.raises(mutate.MutateProblem) as problem:
        mutate.load_equivalents(bad)
    assert "k99_nothing" in str(problem.value) and "'reason' is empty" in str(problem.value)


def test_the_dojo_operators_make_the_mutations_they_promise():
    pytest.importorskip("cosmic_ray")
    from cosmic_ray.mutating import mutate_code

    from dojo.mutate_operators import OperatorProvider

    provider = OperatorProvider()
    for name in provider:
        for example in provider[name].examples():
            got = mutate_code(example.pre_mutation_code, provider[name](), example.occurrence)
            assert got == example.post_mutation_code, (name, example)


def test_an_entry_matches_its_mutant_by_kata_and_line_text_not_line_number(tmp_path):
    pytest.importorskip("cosmic_ray")
    mutants = mutate.make_mutants(KATA, tmp_path / "session.sqlite")
    target = next(m for m in mutants if m.describe() == KILLED_MUTANT)
    entry = mutate.Equivalent(KATA.id, "  frozen_layers.append(layer.name)", "pass", "for the test")
    assert entry.key == target.key
    assert all(isinstance(m.line_number, int) for m in mutants) and len({m.key for m in mutants}) == len(mutants)


def test_a_mutant_the_tests_must_kill_is_killed_in_a_copy(tmp_path):
    pytest.importorskip("cosmic_ray")
    before = digest(catalog.ROOT / "solutions")
    run = start(tmp_path, "--match", KILLED_MUTANT)
    output, _ = run.communicate(timeout=240)
    assert run.returncode == 0, output
    report = json.loads((tmp_path / "report.json").read_text())
    [kata] = report["katas"]
    assert (kata["mutants"], kata["killed"], kata["surviving"], kata["score"]) == (1, 1, 0, 1.0), output
    assert kata["results"][0]["detail"].startswith("test_"), kata["results"][0]  # a kata test failed
    assert (tmp_path / f"{KATA.id}.sqlite").is_file()
    assert not list(tmp_path.glob("lane-*")), "the lane's copy was left behind"
    assert digest(catalog.ROOT / "solutions") == before


def test_ctrl_c_mid_run_leaves_solutions_untouched_and_no_copy_or_process(tmp_path):
    pytest.importorskip("cosmic_ray")
    before = digest(catalog.ROOT / "solutions")
    original = KATA.solution_file.read_text()
    run = start(tmp_path)
    lane_file = tmp_path / "lane-0" / "solutions" / KATA.solution_file.name
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and run.poll() is None:  # wait for a mutant in the copy
        if lane_file.exists() and lane_file.read_text() != original:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"no mutant was written to the lane's copy: {run.communicate()[0]}")
    pid_file = pathlib.Path(tempfile.gettempdir()) / f"dojo-mutate-{os.getuid()}-{run.pid}-0.pid"
    server = int(pid_file.read_text())  # the lane's warm runner, started by the run
    run.send_signal(signal.SIGINT)
    output, _ = run.communicate(timeout=60)
    assert run.returncode == 130, output
    assert "Interrupted" in output
    assert digest(catalog.ROOT / "solutions") == before
    assert not list(tmp_path.glob("lane-*")), "the lane's copy was left behind"
    assert not alive(server), "the lane's warm runner outlived the run"
    assert not pid_file.exists()


def alive(pid: int) -> bool:
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
