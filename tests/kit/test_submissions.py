"""Bulk grading (`make grade-submissions`): each student's katas/ against this repository's own,
pristine tests; a CSV with points per kata, total, and whether protected files were changed."""
import csv
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest

from dojo import catalog, warm
from dojo.classroom import release, submissions

ROOT = catalog.ROOT
KATAS = catalog.load()
GRADED = KATAS[:2]  # two katas keep this test quick; the machinery is the same for all


def digest_tree(folder: pathlib.Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("submissions")
    template = base / "template"
    release.build(template, git=False, echo=lambda *_: None)
    folder = base / "checkouts"
    first, second = GRADED

    def student(name):
        target = folder / name
        shutil.copytree(template, target)
        return target

    def solve(target, kata):
        shutil.copy(kata.solution_file, target / "katas" / kata.kata_file.name)

    alice = student("alice")  # solves both
    solve(alice, first)
    solve(alice, second)
    bob = student("bob")  # solves the first, a wrong second, and "fixes" the tests and workflow
    solve(bob, first)
    shutil.copy(second.wrong_answers()[0], bob / "katas" / second.kata_file.name)
    (bob / "tests" / second.test_file.name).write_text("def test_nothing():\n    pass\n")
    (bob / "conftest.py").write_text("")
    workflow = bob / ".github" / "workflows" / "classroom.yml"
    workflow.write_text(workflow.read_text().replace("timeout: 3", "timeout: 9"))
    carol = student("carol")  # the second kata ends the process with exit code 0 at import
    solve(carol, first)
    (carol / "katas" / second.kata_file.name).write_text("import os\nos._exit(0)\n")
    for path in (carol / "conftest.py", carol / "tests" / first.test_file.name):  # Windows line ends
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    (folder / "dave").mkdir()  # an empty checkout
    erin = folder / "erin"  # a downloaded archive: one wrapping folder
    shutil.copytree(template, erin / "katas-main")
    solve(erin / "katas-main", first)

    out = base / "grades.csv"
    socket = pathlib.Path(tempfile.mkdtemp(prefix="dj")) / "w.sock"  # a private warm runner
    before = digest_tree(ROOT / "katas")
    only = ",".join(str(k.number) for k in GRADED)
    proc = subprocess.run([sys.executable, "-m", "dojo", "grade-submissions", str(folder), "--out", str(out),
                           "--only", only], cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "DOJO_WARM_SOCKET": str(socket)})
    warm.stop(socket)
    assert digest_tree(ROOT / "katas") == before, "grading touched this repository's katas/"
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(out, newline="") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    return {"rows": rows, "out": out, "stdout": proc.stdout, "logs": out.with_name("grades-logs")}


def points(row):
    return [int(row[k.id]) for k in GRADED]


def test_every_student_has_a_row_with_points_per_kata_and_total(graded):
    rows = graded["rows"]
    assert sorted(rows) == ["alice", "bob", "carol", "dave", "erin"]
    maximum = sum(k.points for k in GRADED)
    assert list(next(iter(rows.values()))) == ["student", *(k.id for k in GRADED), "total", "max",
                                               "protected_files_modified", "modified_files", "notes"]
    assert points(rows["alice"]) == [k.points for k in GRADED]
    assert int(rows["alice"]["total"]) == int(rows["alice"]["max"]) == maximum
    assert rows["alice"]["protected_files_modified"] == "no"
    assert rows["alice"]["notes"] == ""


def test_the_pristine_tests_grade_whatever_the_student_changed(graded):
    bob = graded["rows"]["bob"]
    assert points(bob) == [GRADED[0].points, 0], "bob's own trivial test must not count"
    assert bob["protected_files_modified"] == "yes"
    for name in (f"tests/{GRADED[1].test_file.name}", "conftest.py", ".github/workflows/classroom.yml"):
        assert f"changed {name}" in bob["modified_files"]


def test_an_early_exit_with_status_0_earns_nothing(graded):
    carol = graded["rows"]["carol"]
    assert points(carol) == [GRADED[0].points, 0]
    notes = carol["notes"].split("; ")
    assert any(n.startswith(f"k{GRADED[1].number:02d} ") and "imports" not in n for n in notes), notes
    assert f"k{GRADED[1].number:02d} imports os" in notes
    assert carol["protected_files_modified"] == "no", "line endings alone are no change"


def test_an_empty_checkout_scores_zero_and_an_archive_folder_is_found(graded):
    dave, erin = graded["rows"]["dave"], graded["rows"]["erin"]
    assert points(dave) == [0, 0] and "no katas/ folder" in dave["notes"]
    assert points(erin) == [GRADED[0].points, 0] and erin["protected_files_modified"] == "no"


def test_each_student_has_a_log(graded):
    log = (graded["logs"] / "bob.log").read_text()
    assert GRADED[1].id in log and "Traceback" not in log


def test_the_usage_errors_are_one_line(tmp_path):
    for args in ([], [str(tmp_path / "missing")]):
        proc = subprocess.run([sys.executable, "-m", "dojo", "grade-submissions", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2 and proc.stderr.startswith("error: ")


def test_protected_file_comparison_reports_changed_missing_and_added():
    pristine = {"tests/a.py": "1", "conftest.py": "2"}
    student = {"tests/a.py": "9", "tests/conftest.py": "3"}
    assert submissions.differences(pristine, student) == [
        "changed tests/a.py", "missing conftest.py", "added tests/conftest.py"]


def test_a_second_run_resumes_grading_only_the_students_not_in_the_csv(graded):
    """Interrupted or grown: students already in the CSV are kept, not graded again."""
    folder = graded["out"].parent / "checkouts"
    shutil.copytree(folder / "dave", folder / "frank")  # a new student, with no katas/ folder
    before = {name: row for name, row in graded["rows"].items()}
    proc = subprocess.run([sys.executable, "-m", "dojo", "grade-submissions", str(folder), "--out",
                           str(graded["out"]), "--only", ",".join(str(k.number) for k in GRADED)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "5 student(s) already graded, 1 to go" in proc.stderr
    with open(graded["out"], newline="") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert sorted(rows) == sorted([*before, "frank"])
    assert all(rows[name] == row for name, row in before.items())


def test_untouched_stubs_are_not_run_and_graded_files_are_not_graded_twice(tmp_path):
    kata = GRADED[0]
    template = tmp_path / "template"
    release.build(template, git=False, echo=lambda *_: None)
    for name in ("ann", "ben"):  # the same solution, byte for byte
        shutil.copytree(template, tmp_path / "class" / name)
        shutil.copy(kata.solution_file, tmp_path / "class" / name / "katas" / kata.kata_file.name)
    shutil.copytree(template, tmp_path / "class" / "cid")  # the stubs as released
    grader = submissions.Grader([kata], sandboxed=False)
    with open(tmp_path / "log", "wb") as log:
        grades = [grader.grade(tmp_path / "class" / name, {}, log) for name in ("ann", "ben", "cid")]
    assert [g.points[kata.id] for g in grades] == [kata.points, kata.points, 0]
    assert grades[2].notes == [f"k{kata.number:02d} the untouched stub (not run)"]
    assert grader.runs == 1, "ben's file is ann's: graded once; cid's stub: never run"


def test_shards_cover_every_student_once_and_merge_back(tmp_path):
    folders = [tmp_path / f"s{i:02d}" for i in range(7)]
    shards = [submissions.shard_of(folders, f"{i}/3") for i in (1, 2, 3)]
    assert sorted(sum(shards, [])) == folders and sum(map(len, shards)) == 7
    header = ["student", "k01", "total"]
    parts = []
    for i, shard in enumerate(shards):
        part = tmp_path / f"part{i}.csv"
        submissions.write_rows(part, header, [[f.name, "10", "10"] for f in shard])
        parts.append(part)
    merged = tmp_path / "grades.csv"
    assert submissions.merge(merged, parts) == 7
    _, rows = submissions.read_rows(merged)
    assert [row[0] for row in rows] == [f.name for f in folders]
    with pytest.raises(catalog.UsageProblem, match="in both"):
        submissions.merge(tmp_path / "twice.csv", [parts[0], parts[0]])
    with pytest.raises(catalog.UsageProblem, match="I/N"):
        submissions.shard_of(folders, "4/3")
