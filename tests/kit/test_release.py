"""The student release (`make release DEST=...`): stubs and tests, no solutions or wrong answers,
the Classroom workflow, a students' README, and a Makefile whose targets work there."""
import os
import shutil
import subprocess
import sys

import pytest

from dojo import catalog, warm
from dojo.classroom import release, workflow

ROOT = catalog.ROOT
KATAS = catalog.load()
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@invalid",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@invalid"}


def run(args, cwd, timeout=300, **env):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **GIT_ENV, "COLUMNS": "200", **env})


def make(target, cwd, *extra, timeout=300):
    return run(["make", "--no-print-directory", target, f"VENV={sys.prefix}", *extra], cwd, timeout)


@pytest.fixture(scope="module")
def dest(tmp_path_factory):
    """`python -m dojo release DEST` from this repository (which it only reads)."""
    target = tmp_path_factory.mktemp("release") / "student"
    built = run([sys.executable, "-m", "dojo", "release", str(target)], ROOT)
    assert built.returncode == 0, built.stdout + built.stderr
    yield target
    # `grade` ran there with the grader's bare environment: the runner's socket is the release's own
    warm.stop(warm.socket_path(target))


def test_the_release_has_stubs_tests_tooling_and_workflow(dest):
    for kata in KATAS:
        assert (dest / "katas" / kata.kata_file.name).read_bytes() == kata.kata_file.read_bytes()
        assert (dest / "tests" / kata.test_file.name).is_file()
    for name in ("conftest.py", "Makefile", "pyproject.toml", "README.md", "dojo/catalog.toml",
                 "dojo/plugin.py", "dojo/stubs.json", ".gitignore"):
        assert (dest / name).is_file(), name
    assert (dest / workflow.WORKFLOW_FILE).read_text() == workflow.workflow_text(KATAS)
    assert (dest / workflow.LEGACY_FILE).read_text() == workflow.autograding_json(KATAS)


def test_the_release_has_no_solution_and_no_wrong_or_right_answer(dest):
    for folder in ("solutions", "tests/wrong", "tests/right", "tests/kit", "tests/mutation", ".ci"):
        assert not (dest / folder).exists(), folder
    secret = {release._normal(p.read_bytes()) for k in KATAS
              for p in [k.solution_file, *k.wrong_answers(), *k.right_answers()] if p.exists()}
    leaked = [p for p in dest.rglob("*.py") if release._normal(p.read_bytes()) in secret]
    assert not leaked, f"solutions or answers shipped: {leaked}"


def test_the_release_is_one_clean_commit(dest):
    log = run(["git", "log", "--oneline"], dest)
    assert log.returncode == 0 and len(log.stdout.splitlines()) == 1
    assert run(["git", "status", "--porcelain"], dest).stdout == ""


def test_the_students_readme_explains_work_and_grading_and_keeps_the_table(dest):
    text = (dest / "README.md").read_text()
    for needed in ("## How to work", "## How grading works", "make kata N=1", "make grade",
                   "make hint", "Points X/", "Edit only `katas/`"):
        assert needed in text, needed
    assert "solutions/" not in text and "tests/wrong" not in text
    assert run([sys.executable, "-m", "dojo", "readme", "--check"], dest).returncode == 0
    assert run([sys.executable, "-m", "dojo", "classroom", "--check"], dest).returncode == 0


def test_make_test_in_the_release_runs_the_kata_tests_on_katas(dest):
    dry = make("test", dest, "-n")
    assert "pytest" in dry.stdout and "--solutions" not in dry.stdout and "--kit" not in dry.stdout
    assert "make test" in make("help", dest).stdout


def test_make_kata_in_the_release_fails_on_the_stub_with_the_learner_message(dest):
    kata = KATAS[0]
    result = make("kata", dest, "N=1")
    assert result.returncode != 0
    assert "not done yet" in result.stdout and f"katas/{kata.id}.py" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_hint_progress_and_reset_work_in_the_release(dest, tmp_path):
    assert "Hint 1/" in make("hint", dest, "N=1").stdout
    progress = make("progress", dest)
    assert progress.returncode == 0 and "Traceback" not in progress.stdout + progress.stderr
    stub = dest / "katas" / KATAS[0].kata_file.name
    original = stub.read_bytes()
    stub.write_text("def freeze_first_layers(model, n=2):\n    return model\n")
    reset = make("reset", dest, "N=1", "YES=1")
    assert reset.returncode == 0, reset.stdout + reset.stderr
    assert stub.read_bytes() == original


def test_grade_in_the_release_gives_the_stub_zero(dest):
    result = run([sys.executable, "-m", "dojo", "grade", "--only", "1"], dest, timeout=600)
    assert result.returncode == 1
    assert f"Points 0/{KATAS[0].points}" in result.stdout, result.stdout + result.stderr


def test_a_solved_kata_stops_the_release(tmp_path):
    copy = release.copy_checkout(tmp_path / "repo")
    kata = KATAS[0]
    shutil.copy(copy / "solutions" / kata.solution_file.name, copy / "katas" / kata.kata_file.name)
    result = run([sys.executable, "-m", "dojo", "release", str(tmp_path / "out")], copy)
    assert result.returncode == 2
    assert f"katas/{kata.id}.py is the reference solution" in result.stderr
    assert not (tmp_path / "out").exists()


def test_release_needs_a_new_folder_outside_the_repository(tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "file").write_text("x")
    busy = run([sys.executable, "-m", "dojo", "release", str(tmp_path / "busy")], ROOT)
    assert busy.returncode == 2 and "not empty" in busy.stderr
    missing = run([sys.executable, "-m", "dojo", "release"], ROOT)
    assert missing.returncode == 2 and "DEST" in missing.stderr


def test_the_protected_paths_are_one_list_that_both_readmes_name():
    """release.PROTECTED is the list; the instructor's README (Classroom's setting) and the
    students' README (what to leave alone) name each of its paths."""
    import re

    step = re.search(r"\*\*Protected paths\.\*\*(.*?)\n\d\. ", (ROOT / "README.md").read_text(), re.S)
    shown = set(re.findall(r"`([^`]+)`", step.group(1)))
    assert shown >= {f"{p}**" if p.endswith("/") else p for p in release.PROTECTED}
    students = release.student_readme(catalog.load(), {"kata"})
    assert all(f"`{p}`" in students for p in release.PROTECTED)
