"""A learner's progress: which katas pass, cached by content so an unchanged kata is not re-run.

A kata's result is keyed by a digest of its kata file and its test file: edit either and the cached
result no longer applies. Whether a kata is "not started" is decided by comparing the kata file
with the pristine stub, identified by its git blob id in dojo/stubs.json (so `reset` can restore
the stub from git history without keeping a second copy of it).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pathlib
import subprocess
import time

from dojo import catalog, results

STUBS_FILE = pathlib.Path(__file__).resolve().parent / "stubs.json"

PASSED, FAILING, NOT_STARTED, NOT_RUN = "passed", "failing", "not started", "not run yet"


def state_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("DOJO_STATE_DIR", catalog.ROOT / ".dojo"))


def git_blob_id(data: bytes) -> str:
    """The id git gives a file with this content (`git hash-object`), without needing git."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def pristine_ids() -> dict[str, str]:
    try:
        return json.loads(STUBS_FILE.read_text())
    except (OSError, ValueError):
        return {}


def current_stub_ids(katas=None) -> dict[str, str]:
    """Blob ids of the stubs as they are in katas/ now (what `python -m dojo stubs` records)."""
    katas = catalog.load() if katas is None else katas
    return {k.id: git_blob_id(k.kata_file.read_bytes()) for k in katas if k.kata_file.exists()}


def write_stub_ids() -> None:
    """Record the blob ids of the current stubs (contributors run this after editing a stub)."""
    STUBS_FILE.write_text(json.dumps(current_stub_ids(), indent=1, sort_keys=True) + "\n")


def digest(kata: catalog.Kata, *more: pathlib.Path) -> str:
    """What a cached result depends on: the learner's file and the kata's tests (and `more`)."""
    h = hashlib.sha256()
    for path in (kata.kata_file, kata.test_file, *more):
        h.update(path.read_bytes() if path.exists() else b"<missing>")
        h.update(b"\0")
    return h.hexdigest()


def _results_file() -> pathlib.Path:
    return state_dir() / "progress.json"


def load() -> dict:
    try:
        return json.loads(_results_file().read_text())
    except (OSError, ValueError):
        return {}


def save(data: dict) -> None:
    write_atomically(_results_file(), json.dumps(data, indent=1, sort_keys=True))


def write_atomically(path: pathlib.Path, text: str) -> None:
    """Write a state file so that a reader, or a run writing beside this one, never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text)
    tmp.replace(path)


@contextlib.contextmanager
def _locked():
    """Hold the progress file's lock: two runs may record at the same time (the warm runner runs
    the next kata beside the current one when grading), and each must keep the other's result."""
    state_dir().mkdir(parents=True, exist_ok=True)
    with open(state_dir() / "progress.lock", "a") as lock:
        try:
            import fcntl
        except ImportError:  # Windows: no concurrent runs there (the warm runner needs fork)
            yield
            return
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def record(tests: list[results.Result], katas=None) -> dict:
    """Store per-kata outcomes from a run's results (tests of several katas allowed)."""
    katas = catalog.load() if katas is None else katas
    with _locked():
        return _record(tests, katas)


def _record(tests: list[results.Result], katas) -> dict:
    data = load()
    by_number = {k.number: k for k in katas}
    grouped: dict[int, list[results.Result]] = {}
    for test in tests:
        if test.variant != "katas":
            continue  # a run of solutions/ (KATA_IMPL=solutions) says nothing about the learner
        grouped.setdefault(test.kata, []).append(test)
    for number, kata_tests in grouped.items():
        kata = by_number[number]
        failed = [t for t in kata_tests if t.failed]
        data[kata.id] = {
            "digest": digest(kata),
            "status": FAILING if failed else PASSED,
            "passed": len(kata_tests) - len(failed),
            "failed": len(failed),
            "first_failure": failed[0].headline if failed and failed[0].message else "",
            "at": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
    save(data)
    return data


def status(kata: catalog.Kata, data: dict | None = None) -> str:
    data = load() if data is None else data
    entry = data.get(kata.id)
    if entry and entry.get("digest") == digest(kata):
        return entry["status"]
    if is_pristine(kata):
        return NOT_STARTED
    return NOT_RUN


def is_pristine(kata: catalog.Kata) -> bool:
    expected = pristine_ids().get(kata.id)
    return bool(expected) and kata.kata_file.exists() and \
        git_blob_id(kata.kata_file.read_bytes()) == expected


def stale(katas=None) -> list[catalog.Kata]:
    """Katas edited since their last run (a pristine stub needs no run: it is not started)."""
    katas = catalog.load() if katas is None else katas
    data = load()
    return [k for k in katas if status(k, data) == NOT_RUN]


def pristine_stub(kata: catalog.Kata) -> bytes:
    """The stub as distributed, read back from git's object store by its blob id."""
    blob = pristine_ids().get(kata.id)
    if not blob:
        raise LookupError(f"no pristine stub is recorded for {kata.id} in {STUBS_FILE.name}")
    try:
        found = subprocess.run(["git", "cat-file", "blob", blob], cwd=catalog.ROOT,
                               capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        raise LookupError(f"the pristine stub of {kata.id} is not in this git repository "
                          f"(blob {blob[:10]}); a fresh clone or `git checkout -- {kata.kata_file.relative_to(catalog.ROOT)}` "
                          "restores it") from None
    return found.stdout
