"""`make bench-grading`: how many students an hour `grade-submissions` grades on this machine.

A synthetic class is built from the student release, in the usual mix of a class near a deadline
(per 10 students):
  - 4 full: every kata solved (the reference solution with the student's name in a comment, so no
    two students' files are identical and nothing is graded once for several students);
  - 3 partial: the first half of the katas solved, a known wrong answer in the next few, the rest
    untouched stubs;
  - 2 untouched: the release as it was handed out;
  - 1 hostile: a few katas solved, others that forge results, exit with status 0 inside a test,
    or try to read the instructor's solutions.
The class is graded twice, in the bubblewrap sandbox and without it (--no-sandbox), each from a
fresh output file; the students an hour, the wall time and the peak memory of the whole grading
(every process it started, sampled) are written to BENCH.md's "Bulk grading" section.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from dojo import catalog, docs
from dojo.classroom import release

MIX = (("full", 4), ("partial", 3), ("untouched", 2), ("hostile", 1))
TARGET_PER_HOUR = 300

HOSTILE = {
    "forge": ("import os, json\nfor fd in range(3, 64):\n    try:\n        os.write(fd, b'{{}}')\n"
              "    except OSError:\n        pass\n"),
    "exit": "import os\n\n\ndef {function}(*args, **kwargs):\n    os._exit(0)\n",
    "peek": "try:\n    open({solution!r}).read()\nexcept OSError:\n    pass\n",
}


def build_class(folder: pathlib.Path, size: int) -> dict[str, int]:
    """Write `size` student checkouts into `folder`, in MIX's proportions; count per kind."""
    katas = catalog.load()
    template = folder.parent / "template"
    release.build(template, git=False, echo=lambda *_: None)
    kinds = [kind for kind, share in MIX for _ in range(share)]
    counts: dict[str, int] = {}
    for i in range(size):
        kind = kinds[i % len(kinds)]
        counts[kind] = counts.get(kind, 0) + 1
        student = folder / f"{kind}-{i:03d}"
        shutil.copytree(template, student)
        for position, kata in enumerate(katas):
            code = _kata_file(kind, position, kata, len(katas), student.name)
            if code is not None:
                (student / "katas" / kata.kata_file.name).write_text(code)
    return counts


def _kata_file(kind: str, position: int, kata: catalog.Kata, total: int, name: str) -> str | None:
    """What this student submits for this kata (None: the stub as released)."""
    solved = kata.solution_file.read_text() + f"\n# {name}\n"
    if kind == "full":
        return solved
    if kind == "partial":
        if position < total // 2:
            return solved
        wrong = kata.wrong_answers()
        return wrong[0].read_text() if position < total // 2 + 4 and wrong else None
    if kind == "hostile":
        attack = ("forge", "exit", "peek", None)[position % 4]
        if attack is None:
            return solved
        return HOSTILE[attack].format(function=kata.functions[0], solution=str(kata.solution_file)) \
            + ("" if attack == "exit" else solved)
    return None


class PeakMemory:
    """Samples the resident memory of a process and all its descendants, summed, every 0.2 s."""

    def __init__(self, pid: int):
        self.pid, self.peak_mb, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.2):
            self.peak_mb = max(self.peak_mb, _tree_rss_mb(self.pid))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_mb


def _tree_rss_mb(root: int) -> float:
    parents, rss = {}, {}
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in tree) / 2**20


def grade(folder: pathlib.Path, out: pathlib.Path, sandbox: bool) -> dict:
    args = [sys.executable, "-m", "dojo", "grade-submissions", str(folder), "--out", str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen(args + ([] if sandbox else ["--no-sandbox"]), cwd=catalog.ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = PeakMemory(proc.pid)
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    peak = memory.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"grading failed: {err.decode()[-2000:]}")
    students = sum(1 for p in folder.iterdir() if p.is_dir())
    return {"seconds": seconds, "per_hour": students / seconds * 3600, "peak_mb": peak}


def render(counts: dict[str, int], runs: dict[str, dict]) -> str:
    mix = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    lines = [f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores with "
             f"`python -m dojo bench-grading` (`make bench-grading`): a synthetic class of "
             f"{sum(counts.values())} students ({mix}; see the module's docstring), "
             f"{len(catalog.load())} katas each.", "",
             "| grading | wall time | students an hour | peak memory (all processes) | target |",
             "|---|---|---|---|---|"]
    for label, r in runs.items():
        met = "met" if r["per_hour"] >= TARGET_PER_HOUR else "MISSED"
        lines.append(f"| {label} | {r['seconds']:.0f} s | {r['per_hour']:.0f} | {r['peak_mb']:.0f} MB "
                     f"| {TARGET_PER_HOUR} an hour: {met} |")
    return "\n".join(lines) + "\n"


def cmd_bench_grading(args) -> int:
    """`python -m dojo bench-grading [--students N]` (options: dojo/cli.py)."""
    with tempfile.TemporaryDirectory(prefix="dojo-class-") as tmp:
        folder = pathlib.Path(tmp) / "class"
        counts = build_class(folder, args.students)
        runs = {}
        for label, sandboxed in (("in the sandbox", True), ("--no-sandbox", False)):
            runs[label] = grade(folder, pathlib.Path(tmp) / f"{label.strip('-')}.csv", sandboxed)
            print(f"{label}: {runs[label]['seconds']:.0f} s, {runs[label]['per_hour']:.0f} "
                  f"students an hour, peak {runs[label]['peak_mb']:.0f} MB", flush=True)
    text = render(counts, runs)
    docs.write_bench_section("Bulk grading", text)
    print(text)
    return 0 if all(r["per_hour"] >= TARGET_PER_HOUR for r in runs.values()) else 1

