"""Bulk grading (`python -m dojo grade-submissions DIR --out grades.csv`): every subfolder of DIR is
one student's checkout of the assignment; only its katas/ is used.

Each kata of each student runs this repository's own, pristine tests, conftest.py and test
machinery (`pytest --kata-dir=<student>/katas`, through the warm runner), so nothing a student
changed in tests/, conftest.py, dojo/ or the workflow counts. Each of those runs is a process of its
own (a fork of the warm runner) with the kata's hard deadline; a crash or a hang costs that kata
only. A kata scores its points when its results file shows every test passed; an exit code alone is
not trusted (student code could call os._exit(0)).

The CSV also says whether the student's copy of the protected files (tests/, conftest.py, dojo/,
.github/, Makefile, pyproject.toml) differs from the pristine one, by file digest (line endings
normalised), and notes imports outside the usual modules.

Isolation: NONE beyond separate processes and time limits. Student code runs with your user's
rights: it can read and write your files, use the network, and patch the test machinery inside its
own run. Grade untrusted code in a container or VM (README: For instructors).
"""
from __future__ import annotations

import ast
import contextlib
import csv
import dataclasses
import hashlib
import io
import json
import os
import pathlib
import sys
import tempfile
import time

from dojo import catalog

PROTECTED = ("tests/", "conftest.py", "dojo/", ".github/", "Makefile", "pyproject.toml")
IGNORED_PARTS = {".git", "__pycache__", ".pytest_cache", ".venv", ".dojo", ".ipynb_checkpoints"}
USUAL_IMPORTS = {"__future__", "abc", "collections", "copy", "dataclasses", "enum", "fnmatch",
                 "functools", "itertools", "json", "keras", "math", "numbers", "numpy", "operator",
                 "re", "statistics", "string", "tensorflow", "typing", "warnings"}


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def is_protected(name: str) -> bool:
    return any(name == p or (p.endswith("/") and name.startswith(p)) for p in PROTECTED)


def pristine_digests(root: pathlib.Path = catalog.ROOT) -> dict[str, str]:
    """Digests of the protected files exactly as the student release hands them out."""
    from dojo import classroom, release

    found = {}
    for name in release.release_files(root):
        if not is_protected(name):
            continue
        data = (root / name).read_bytes()
        if name == "Makefile":
            data = release.student_makefile(data.decode()).encode()
        found[name] = file_digest(data)
    for relative, text in classroom.generated_files().items():
        found[relative.as_posix()] = file_digest(text.encode())
    return found


def student_digests(folder: pathlib.Path) -> dict[str, str]:
    found = {}
    for where, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in IGNORED_PARTS]
        for file in files:
            path = pathlib.Path(where) / file
            name = path.relative_to(folder).as_posix()
            if path.suffix not in (".pyc", ".pyo") and is_protected(name) and path.is_file():
                found[name] = file_digest(path.read_bytes())
    return found


def differences(pristine: dict[str, str], student: dict[str, str]) -> list[str]:
    changed = [f"changed {n}" for n in sorted(pristine) if n in student and student[n] != pristine[n]]
    missing = [f"missing {n}" for n in sorted(pristine) if n not in student]
    added = [f"added {n}" for n in sorted(student) if n not in pristine]
    return changed + missing + added


def unusual_imports(path: pathlib.Path) -> list[str]:
    """Top-level modules a kata imports beyond the usual ones (a prompt to read the code)."""
    try:
        tree = ast.parse(path.read_text(errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return []
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("__import__", "exec", "eval"):
            names.add(f"{node.func.id}()")
    return sorted(names - USUAL_IMPORTS)


@dataclasses.dataclass
class Grade:
    student: str
    points: dict[str, int]  # kata id -> points earned
    modified: list[str]
    notes: list[str]
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.points.values())


def _katas_dir(folder: pathlib.Path) -> pathlib.Path | None:
    """folder/katas, or the katas/ of a single wrapping folder (a downloaded archive)."""
    if (folder / "katas").is_dir():
        return folder
    inner = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    if len(inner) == 1 and (inner[0] / "katas").is_dir():
        return inner[0]
    return None


@contextlib.contextmanager
def _working_in(folder: pathlib.Path, state_dir: pathlib.Path):
    """The warm runner takes the caller's cwd and DOJO_STATE_DIR into each run."""
    old_cwd, old_state = os.getcwd(), os.environ.get("DOJO_STATE_DIR")
    os.chdir(folder)
    os.environ["DOJO_STATE_DIR"] = str(state_dir)
    try:
        yield
    finally:
        os.chdir(old_cwd)
        if old_state is None:
            os.environ.pop("DOJO_STATE_DIR", None)
        else:
            os.environ["DOJO_STATE_DIR"] = old_state


def grade_kata(kata: catalog.Kata, katas_dir: pathlib.Path, scratch: pathlib.Path,
               log: io.BytesIO) -> tuple[int, str]:
    """(points, note) for one kata of one student, run in its own fork with the hard deadline."""
    from dojo import cli, warm

    results = scratch / f"{kata.id}.json"
    results.unlink(missing_ok=True)
    log.write(f"\n===== {kata.id} =====\n".encode())
    with _working_in(scratch, scratch / "state"):
        code = warm.run(["run", str(kata.number), f"--kata-dir={katas_dir}", f"--results={results}"],
                        out=log, deadline_seconds=cli.hard_deadline(kata))
    try:
        tests = [t for t in json.loads(results.read_text())["tests"] if t["kata"] == kata.number]
    except (OSError, ValueError, KeyError):
        why = "time limit exceeded (stopped)" if code == 124 else \
            f"no results: the run ended early (exit code {code})"
        return 0, why
    failed = [t for t in tests if t["status"] != "pass"]
    if code == 0 and tests and not failed:
        return kata.points, ""
    if failed:
        message = (failed[0].get("message") or failed[0]["status"]).strip().splitlines()
        return 0, f"{failed[0]['test']}: {message[0][:100] if message else failed[0]['status']}"
    return 0, "no test ran" if not tests else f"exit code {code}"


def grade_student(folder: pathlib.Path, katas: list[catalog.Kata], pristine: dict[str, str],
                  scratch: pathlib.Path, log: io.BytesIO) -> Grade:
    start = time.monotonic()
    checkout = _katas_dir(folder)
    if checkout is None:
        return Grade(folder.name, {k.id: 0 for k in katas}, [], ["no katas/ folder"],
                     time.monotonic() - start)
    katas_dir = (checkout / "katas").resolve()
    points, notes = {}, []
    for kata in katas:
        points[kata.id], note = grade_kata(kata, katas_dir, scratch, log)
        if note:
            notes.append(f"k{kata.number:02d} {note}")
        unusual = unusual_imports(katas_dir / kata.kata_file.name)
        if unusual:
            notes.append(f"k{kata.number:02d} imports {', '.join(unusual)}")
    modified = differences(pristine, student_digests(checkout))
    return Grade(folder.name, points, modified, notes, time.monotonic() - start)


def write_csv(path: pathlib.Path, grades: list[Grade], katas: list[catalog.Kata]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["student", *(k.id for k in katas), "total", "max",
                      "protected_files_modified", "modified_files", "notes"])
        maximum = sum(k.points for k in katas)
        for g in grades:
            out.writerow([g.student, *(g.points[k.id] for k in katas), g.total, maximum,
                          "yes" if g.modified else "no", "; ".join(g.modified), "; ".join(g.notes)])


def grade_all(submissions: pathlib.Path, out: pathlib.Path, katas: list[catalog.Kata],
              echo=print) -> list[Grade]:
    folders = sorted(p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))
    pristine = pristine_digests()
    logs = out.with_name(out.stem + "-logs")
    logs.mkdir(parents=True, exist_ok=True)
    grades = []
    maximum = sum(k.points for k in katas)
    for folder in folders:
        with tempfile.TemporaryDirectory(prefix="dojo-grade-") as tmp:
            log = io.BytesIO()
            grade = grade_student(folder, katas, pristine, pathlib.Path(tmp), log)
            (logs / f"{folder.name}.log").write_bytes(log.getvalue())
        grades.append(grade)
        flag = "PROTECTED FILES MODIFIED" if grade.modified else "protected files pristine"
        echo(f"{grade.student:<30} {grade.total:>4}/{maximum}  {flag}  ({grade.seconds:.0f} s)")
    write_csv(out, grades, katas)
    return grades


def cmd_grade_submissions(args) -> int:
    from dojo.classroom import _parse_only
    from dojo.cli import UsageProblem

    if not args.submissions:
        raise UsageProblem("which folder? `make grade-submissions SUBMISSIONS=path/to/checkouts` "
                           "(one subfolder per student)")
    folder = pathlib.Path(args.submissions)
    if not folder.is_dir():
        raise UsageProblem(f"{folder} is not a folder of student checkouts")
    katas = catalog.load()
    only = _parse_only(args.only, [k.number for k in katas])
    if only is not None:
        katas = [k for k in katas if k.number in only]
        if not katas:
            raise UsageProblem(f"--only {args.only} names no kata of the catalog")
    out = pathlib.Path(args.out)
    print(f"Grading every subfolder of {folder} with this repository's tests ({len(katas)} katas). "
          "Student code runs with your rights: see README, For instructors.", file=sys.stderr)
    grades = grade_all(folder, out, katas, echo=print)
    if not grades:
        raise UsageProblem(f"{folder} has no subfolders: expected one checkout per student")
    print(f"Wrote {out} ({len(grades)} students); logs in {out.with_name(out.stem + '-logs')}/")
    return 0
