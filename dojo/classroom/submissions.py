"""Bulk grading (`python -m dojo grade-submissions DIR --out grades.csv`): every subfolder of DIR is
one student's checkout of the assignment; only its katas/ is used.

Each student's katas run this repository's own, pristine tests, conftest.py and test machinery
(`pytest --kata-dir=<student>/katas`), so nothing a student changed in tests/, conftest.py, dojo/
or the workflow counts; each kata's tests run in a worker process of their own with the kata's
time limits, so a crash or a hang costs that kata only. A kata scores its points when the results
show every test passed; an exit code alone is not trusted (student code could call os._exit(0)).

The CSV also says whether the student's copy of the protected files (tests/, conftest.py, dojo/,
.github/, Makefile, pyproject.toml) differs from the pristine one, by file digest (line endings
normalised), and notes imports outside the usual modules.

Isolation: by default each student's run is in a bubblewrap sandbox (dojo/classroom/sandbox.py says what it
sees and what it does not stop). With --no-sandbox, student code runs with your user's rights.
"""
from __future__ import annotations

import ast
import concurrent.futures
import contextlib
import csv
import dataclasses
import hashlib
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import threading
import time

from dojo import catalog, progress, results, terminal
from dojo.catalog import UsageProblem
from dojo.classroom import release, sandbox, workflow

# rich's progress bar is imported where it is used (see dojo/terminal.py).

IGNORED_PARTS = {".git", "__pycache__", ".pytest_cache", ".venv", ".dojo", ".ipynb_checkpoints"}
USUAL_IMPORTS = {"__future__", "abc", "collections", "copy", "dataclasses", "enum", "fnmatch",
                 "functools", "itertools", "json", "keras", "math", "numbers", "numpy", "operator",
                 "re", "statistics", "string", "tensorflow", "typing", "warnings"}


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def is_protected(name: str) -> bool:
    return any(name == p or (p.endswith("/") and name.startswith(p)) for p in release.PROTECTED)


def pristine_digests(root: pathlib.Path = catalog.ROOT) -> dict[str, str]:
    """Digests of the protected files exactly as the student release hands them out."""
    found = {}
    for name in release.release_files(root):
        if not is_protected(name):
            continue
        data = (root / name).read_bytes()
        if name == "Makefile":
            data = release.student_makefile(data.decode()).encode()
        found[name] = file_digest(data)
    for relative, text in workflow.generated_files().items():
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


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One kata of one student: the points and, when it scored nothing, why."""
    points: int
    note: str = ""


class Grader:
    """Grades students' katas/ folders with this repository's pristine tests.

    Throughput: a kata file identical to the released stub scores 0 without running; a kata file
    graded once (same bytes, same tests: one grading session) is not graded again; the katas that
    remain run in ONE pytest per student (one TensorFlow import), one kata after another, each
    stopped at its first failing test (a kata scores all or nothing); `parallel` students are
    graded side by side. With `sandboxed`, that pytest runs in sandbox.py's bubblewrap sandbox.
    Results come back through a pipe, never a file the student's code could write."""

    def __init__(self, katas: list[catalog.Kata], sandboxed: bool = True):
        self.katas = katas
        self.sandboxed = sandboxed
        self.stub_ids = progress.pristine_ids()
        self.known: dict[tuple[str, str], Outcome] = {}
        self.runs = 0  # pytest processes started: what deduplication and stub detection save
        self._lock = threading.Lock()

    def grade(self, folder: pathlib.Path, pristine: dict[str, str], log) -> Grade:
        start = time.monotonic()
        checkout = _katas_dir(folder)
        if checkout is None:
            return Grade(folder.name, {k.id: 0 for k in self.katas}, [], ["no katas/ folder"],
                         time.monotonic() - start)
        katas_dir = (checkout / "katas").resolve()
        outcomes, to_run, keys = {}, [], {}
        for kata in self.katas:
            outcome, key = self._known_outcome(kata, katas_dir / kata.kata_file.name)
            if outcome is None:
                to_run.append(kata)
                keys[kata.id] = key
            else:
                outcomes[kata.id] = outcome
        if to_run:
            ran = self._run(katas_dir, to_run, log)
            with self._lock:
                self.runs += 1
                for kata in to_run:
                    self.known[keys[kata.id]] = outcomes[kata.id] = ran[kata.id]
        notes = []
        for kata in self.katas:
            if outcomes[kata.id].note:
                notes.append(f"k{kata.number:02d} {outcomes[kata.id].note}")
            unusual = unusual_imports(katas_dir / kata.kata_file.name)
            if unusual:
                notes.append(f"k{kata.number:02d} imports {', '.join(unusual)}")
        modified = differences(pristine, student_digests(checkout))
        return Grade(folder.name, {k.id: outcomes[k.id].points for k in self.katas}, modified,
                     notes, time.monotonic() - start)

    def _known_outcome(self, kata: catalog.Kata, path: pathlib.Path):
        """(outcome, None) when the kata need not run; (None, cache key) when it must."""
        if not path.is_file():
            return Outcome(0, f"{kata.kata_file.name} is missing"), None
        data = path.read_bytes()
        if progress.git_blob_id(data.replace(b"\r\n", b"\n")) == self.stub_ids.get(kata.id):
            return Outcome(0, "the untouched stub (not run)"), None
        key = (kata.id, hashlib.sha256(data).hexdigest())
        with self._lock:
            return self.known.get(key), key

    def _run(self, katas_dir: pathlib.Path, katas: list[catalog.Kata], log) -> dict[str, Outcome]:
        """Run the katas' pristine tests on the student's files; an Outcome per kata."""
        read_end, write_end = os.pipe()
        seen_dir = sandbox.SUBMISSION_KATAS if self.sandboxed else str(katas_dir)
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--workers=1",
                f"--kata-dir={seen_dir}", f"--results-fd={write_end}", "--kata-stop=failure",
                *(str(k.test_file) for k in katas)]
        with tempfile.TemporaryDirectory(prefix="dojo-grade-") as scratch:
            if self.sandboxed:
                command, env = sandbox.command(argv, katas_dir, katas), None
            else:
                command = argv
                env = {**os.environ, "DOJO_STATE_DIR": scratch, "PYTHONDONTWRITEBYTECODE": "1"}
            log.write(f"\n===== {', '.join(k.id for k in katas)} =====\n".encode())
            log.flush()
            proc = subprocess.Popen(command, cwd=catalog.ROOT, env=env, pass_fds=[write_end],
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            os.close(write_end)
            received: list[bytes] = []
            reader = threading.Thread(target=lambda: received.append(_read_all(read_end)))
            reader.start()
            deadline = 60 + sum(k.hard_deadline for k in katas)
            try:
                code = proc.wait(timeout=deadline)
            except subprocess.TimeoutExpired:
                code = None
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # and anything it left behind
            proc.wait()
            reader.join()
        try:
            tests = results.parse(b"".join(received))
        except ValueError:
            why = ("time limit exceeded (stopped)" if code is None
                   else f"no results: the run ended early (exit code {code})")
            return {k.id: Outcome(0, why) for k in katas}
        return {k.id: _judge(k, [t for t in tests if t.kata == k.number]) for k in katas}


def _read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as channel:
        return channel.read()


def _judge(kata: catalog.Kata, tests: list[results.Result]) -> Outcome:
    """All of a kata's tests passed: its points (from the catalog); otherwise none, and the first
    failure."""
    if not tests:
        return Outcome(0, "no test ran")
    failed = [t for t in tests if t.status != "pass"]
    if not failed:
        return Outcome(kata.points)
    return Outcome(0, f"{failed[0].test}: {failed[0].headline[:100]}")


# --- the class: CSV, resuming, shards ----------------------------------------------------------

FIXED_COLUMNS = ("total", "max", "protected_files_modified", "modified_files", "notes")


def csv_header(katas: list[catalog.Kata]) -> list[str]:
    return ["student", *(k.id for k in katas), *FIXED_COLUMNS]


def csv_row(grade: Grade, katas: list[catalog.Kata]) -> list:
    maximum = sum(k.points for k in katas)
    return [grade.student, *(grade.points[k.id] for k in katas), grade.total, maximum,
            "yes" if grade.modified else "no", "; ".join(grade.modified), "; ".join(grade.notes)]


def write_rows(path: pathlib.Path, header: list[str], rows: list[list]) -> None:
    """The whole CSV, sorted by student, replaced in one step (an interruption keeps the last)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(sorted(rows, key=lambda row: str(row[0])))
    tmp.replace(path)


def read_rows(path: pathlib.Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="") as f:
        table = list(csv.reader(f))
    return (table[0], table[1:]) if table else ([], [])


def shard_of(folders: list[pathlib.Path], shard: str | None) -> list[pathlib.Path]:
    """The students of shard "I/N" (I from 1): every N-th of the sorted folders, from the I-th."""
    if not shard:
        return folders
    try:
        index, count = (int(part) for part in shard.split("/"))
    except ValueError:
        index = count = 0
    if not 1 <= index <= count:
        raise UsageProblem(f"--shard takes I/N with 1 <= I <= N, e.g. 2/4, not {shard!r}")
    return folders[index - 1::count]


def merge(out: pathlib.Path, parts: list[pathlib.Path]) -> int:
    """Merge the CSVs of several shards into one; a student in two of them is an error."""
    header, rows, seen = None, [], {}
    for part in parts:
        if not part.is_file():
            raise UsageProblem(f"{part} is not a file")
        its_header, its_rows = read_rows(part)
        if header is None:
            header = its_header
        elif its_header != header:
            raise UsageProblem(f"{part} has other columns than {parts[0]}: were they graded with "
                               f"the same katas (--only)?")
        for row in its_rows:
            if row[0] in seen:
                raise UsageProblem(f"student {row[0]!r} is in both {seen[row[0]]} and {part}")
            seen[row[0]] = part
            rows.append(row)
    if header is None:
        raise UsageProblem("name at least one CSV to merge")
    write_rows(out, header, rows)
    return len(rows)


def grade_all(submissions: pathlib.Path, out: pathlib.Path, katas: list[catalog.Kata],
              sandboxed: bool = True, parallel: int | None = None, shard: str | None = None,
              console=None) -> list[Grade]:
    """Grade every student folder of `submissions` not yet in `out` (which is then resumed),
    `parallel` at a time, writing the CSV after each student and a log per student."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    console = console or terminal.console(stderr=True, soft_wrap=True)
    folders = shard_of(sorted(p for p in submissions.iterdir()
                              if p.is_dir() and not p.name.startswith(".")), shard)
    header, rows = csv_header(katas), []
    if out.exists():
        its_header, rows = read_rows(out)
        if its_header != header:
            raise UsageProblem(f"{out} has other columns (graded with other katas?): choose "
                               f"another --out, or delete it to start again")
    done = {row[0] for row in rows}
    todo = [f for f in folders if f.name not in done]
    if done:
        console.print(f"Resuming {out}: {len(done)} student(s) already graded, {len(todo)} to go.")
    pristine = pristine_digests()
    logs = out.with_name(out.stem + "-logs")
    logs.mkdir(parents=True, exist_ok=True)
    grader = Grader(katas, sandboxed=sandboxed)
    maximum = sum(k.points for k in katas)
    grades: list[Grade] = []

    def grade_one(folder: pathlib.Path) -> Grade:
        with open(logs / f"{folder.name}.log", "wb") as log:
            return grader.grade(folder, pristine, log)

    columns = (TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TextColumn("students"),
               TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar, \
            concurrent.futures.ThreadPoolExecutor(parallel or default_parallel()) as pool:
        task = bar.add_task("grading", total=len(todo))
        for grade in pool.map(grade_one, todo):
            grades.append(grade)
            rows.append(csv_row(grade, katas))
            write_rows(out, header, rows)
            flag = "PROTECTED FILES MODIFIED" if grade.modified else "protected files pristine"
            bar.console.print(f"{grade.student:<30} {grade.total:>4}/{maximum}  {flag}  "
                              f"({grade.seconds:.0f} s)")
            bar.advance(task)
    if not rows:
        write_rows(out, header, rows)
    return grades


def default_parallel() -> int:
    """Students graded side by side: one per core, as memory allows (each run peaks near 0.8 GB:
    see BENCH.md), at most 4."""
    return max(1, min(os.cpu_count() or 1, 4))


def cmd_grade_submissions(args) -> int:
    if not args.submissions:
        raise UsageProblem("which folder? `make grade-submissions SUBMISSIONS=path/to/checkouts` "
                           "(one subfolder per student)")
    folder = pathlib.Path(args.submissions)
    if not folder.is_dir():
        raise UsageProblem(f"{folder} is not a folder of student checkouts")
    katas = catalog.select(catalog.load(), args.only)
    use_sandbox = not args.no_sandbox
    if use_sandbox:
        try:
            sandbox.check_available()
        except sandbox.SandboxUnavailable as problem:
            raise UsageProblem(str(problem)) from None
    out = pathlib.Path(args.out)
    where = ("each student in a bubblewrap sandbox (README: For instructors)" if use_sandbox else
             "WITHOUT a sandbox (--no-sandbox): student code runs with your rights")
    print(f"Grading every subfolder of {folder} with this repository's tests ({len(katas)} katas), "
          f"{where}.", file=sys.stderr)
    grades = grade_all(folder, out, katas, sandboxed=use_sandbox, parallel=args.parallel,
                       shard=args.shard)
    _, rows = read_rows(out)
    if not rows:
        raise UsageProblem(f"{folder} has no subfolders: expected one checkout per student")
    print(f"Wrote {out} ({len(rows)} students, {len(grades)} graded now); logs in "
          f"{out.with_name(out.stem + '-logs')}/")
    return 0


def cmd_merge_grades(args) -> int:
    count = merge(pathlib.Path(args.out), [pathlib.Path(p) for p in args.parts])
    print(f"Wrote {args.out} ({count} students from {len(args.parts)} file(s))")
    return 0
