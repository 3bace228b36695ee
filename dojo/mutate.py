"""Mutation testing of the reference solutions (`make mutate [N=...]`, `python -m dojo mutate [N]`).

Each mutant is a copy of one kata's solution with one small change (a comparison turned around, a
number moved by one, `True` made `False`, a statement or a keyword argument removed, a call
unwrapped). The kata's tests run against it; it is killed when one of them fails. A mutant no test
kills shows a gap in the tests, unless it behaves exactly like the solution for every input the
kata allows: then it is listed, with the reason, in tests/mutation/equivalent.toml.

The tool is Cosmic Ray (PyPI `cosmic-ray`, the `dev` extra of pyproject.toml). It makes the
mutants: its `init` enumerates them with its core operators plus the three of
dojo/mutate_operators.py (plugged in through its operator-provider entry point), its mutation
engine writes each one, and each kata's session file (.dojo/mutate/kNN_<slug>.sqlite) holds the
results in its own format, so `cr-report --show-diff --show-output <file>` details any run. Why not
mutmut: mutmut 3 switches mutants inside one process through trampolines keyed by the module name
the tests import; the kata tests import the solution from its file under a name of their own
(dojo/plugin.py), so no mutant would ever be switched on, and its per-test coverage pass records
calls in the process that runs pytest, while kata tests run in forked workers.

What this module adds is the running, for speed (the 472 mutants of the 23 katas took 12.8 and
16.5 minutes on 2 cores that other jobs kept busy, load average 5-12; 7.5-8 CPU minutes in all),
which Cosmic Ray's `exec` cannot do here: its local distributor runs one mutant at a time
in the current directory with a fresh `python` per mutant (~3 s of `import tensorflow` each); its
http distributor needs a TCP port and a served copy per worker. Instead:

* one lane per core, each a copy of the tree under .dojo/mutate/lane-N, so two mutants run at once
  and the working tree's solutions/ is never written: Ctrl-C (or a kill) cannot leave a mutant in
  it; the copies are removed on the way out and again at the next start;
* each lane has its own warm runner (dojo/warm.py: TensorFlow imported once, one fork per run, a
  hard deadline per run), so a mutant costs its tests, not an import;
* only the mutated kata's tests run, in that fork (`--no-isolate`: the fork already isolates them),
  in file order, stopping at the first failure (`-x`);
* TensorFlow gets one thread per lane, so the lanes do not fight over the cores.

A mutant whose run gives no verdict (the warm runner failed, no results file) is an error, never a
kill. Mutations inside f-strings are not made: they would only change a message's text, which no
kata specifies (recorded as skipped in the session file).
"""
from __future__ import annotations

import contextlib
import dataclasses
import difflib
import io
import json
import os
import pathlib
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib

from dojo import catalog, results, terminal, warm

# Cosmic Ray (the `dev` extra) is imported only where mutants are made or recorded, so the rest of
# the kit works without it; rich and pytest where they are used (see dojo/terminal.py).

ROOT = catalog.ROOT
WORK_DIR = ROOT / ".dojo" / "mutate"
EQUIVALENT_FILE = ROOT / "tests" / "mutation" / "equivalent.toml"
EQUIVALENT_FIELDS = ("kata", "line", "mutated", "reason")
VERDICT = "dojo-mutate-verdict:"
KILLED, SURVIVED, EQUIVALENT, ERROR = "killed", "survived", "equivalent", "error"
INSTALL_HINT = "pip install -e '.[dev]' (make mutate does it for you)"


class MutateProblem(Exception):
    """Something stops the run before any mutant is tested; the message says what to do."""


# --- the equivalents file --------------------------------------------------------------------


def normal(text: str) -> str:
    """Line text as keys compare it: each line stripped, blank lines dropped."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@dataclasses.dataclass(frozen=True)
class Equivalent:
    kata: str
    line: str
    mutated: str
    reason: str

    @property
    def key(self) -> tuple[str, str, str]:
        return self.kata, normal(self.line), normal(self.mutated)


def load_equivalents(path: pathlib.Path = EQUIVALENT_FILE, katas=None) -> list[Equivalent]:
    """The listed equivalent mutants; raises MutateProblem when an entry breaks a rule."""
    katas = catalog.load() if katas is None else katas
    ids = {k.id for k in katas}
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise MutateProblem(f"{_shown(path)} is not valid TOML: {error}") from None
    unknown_tables = sorted(set(data) - {"equivalent"})
    problems = [f"unknown table(s) {unknown_tables}: entries are [[equivalent]]"] if unknown_tables else []
    entries, seen = [], set()
    for index, entry in enumerate(data.get("equivalent", []), start=1):
        where = f"entry {index}"
        if not isinstance(entry, dict) or set(entry) != set(EQUIVALENT_FIELDS):
            fields = sorted(entry) if isinstance(entry, dict) else entry
            problems.append(f"{where}: needs exactly the fields {list(EQUIVALENT_FIELDS)}, has {fields}")
            continue
        if not all(isinstance(entry[f], str) for f in EQUIVALENT_FIELDS):
            problems.append(f"{where}: every field is a string")
            continue
        item = Equivalent(**entry)
        if item.kata not in ids:
            problems.append(f"{where}: no kata is called {item.kata!r} (use the id, e.g. 'k05_capacity_report')")
        if not normal(item.line):
            problems.append(f"{where}: 'line' is empty")
        if not item.reason.strip():
            problems.append(f"{where}: 'reason' is empty: say why the mutant behaves like the solution")
        if item.key in seen:
            problems.append(f"{where}: the same mutant is listed twice")
        seen.add(item.key)
        entries.append(item)
    if problems:
        raise MutateProblem(f"{_shown(path)}:\n  " + "\n  ".join(problems))
    return entries


# --- the mutants -------------------------------------------------------------------------------


@dataclasses.dataclass
class Mutant:
    kata: catalog.Kata
    job_id: str
    operator: str
    occurrence: int
    line_number: int
    line: str  # the solution's changed line(s), stripped
    mutated: str  # the same line(s) after the mutation; "" when they were removed
    code: str  # the whole mutated module
    outcome: str = ""
    detail: str = ""
    seconds: float = 0.0
    reason: str = ""  # why it is equivalent, from the file

    @property
    def key(self) -> tuple[str, str, str]:
        return self.kata.id, normal(self.line), normal(self.mutated)

    @property
    def where(self) -> str:
        return f"solutions/{self.kata.id}.py:{self.line_number}"

    def describe(self) -> str:
        mutated = self.mutated or "(line removed)"
        return f"{self.line} -> {mutated}".replace("\n", " / ")


def _require_cosmic_ray():
    try:
        import cosmic_ray.plugins
    except ImportError:
        raise MutateProblem(f"Cosmic Ray is not installed: {INSTALL_HINT}") from None
    if not any(name.startswith("dojo/") for name in cosmic_ray.plugins.operator_names()):
        raise MutateProblem("Cosmic Ray does not know the dojo/ operators (the entry point in "
                            f"pyproject.toml is not installed): {INSTALL_HINT}")


def make_mutants(kata: catalog.Kata, session: pathlib.Path) -> list[Mutant]:
    """Cosmic Ray's work items for the kata's solution, written to a fresh session file, each
    turned into the mutated module and the text of the lines it changes."""
    import cosmic_ray.commands
    from cosmic_ray.mutating import mutate_code
    from cosmic_ray.plugins import get_operator
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    source = kata.solution_file.read_text()
    in_text = _fstring_spans(source)
    session.unlink(missing_ok=True)
    mutants = []
    with use_db(str(session), WorkDB.Mode.create) as db:
        cosmic_ray.commands.init([kata.solution_file], db, {})
        for item in db.work_items:
            spec = item.mutations[0]
            if any(start <= tuple(spec.start_pos) < end for start, end in in_text):
                db.set_result(item.job_id, WorkResult(
                    worker_outcome=WorkerOutcome.SKIPPED,
                    output="not run: inside an f-string, the mutation changes only a message's text"))
                continue
            operator = get_operator(spec.operator_name)(**spec.operator_args)
            code = mutate_code(source, operator, spec.occurrence)
            if code is None or code == source:
                db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.NO_TEST))
                continue
            number, line, mutated = changed_lines(source, code)
            mutants.append(Mutant(kata, item.job_id, spec.operator_name, spec.occurrence, number,
                                  line, mutated, code))
    mutants.sort(key=lambda m: (m.line_number, m.operator, m.occurrence))
    return mutants


def changed_lines(before: str, after: str) -> tuple[int, str, str]:
    """(first changed line number, the changed lines before, the same lines after), stripped."""
    old, new = before.splitlines(), after.splitlines()
    blocks = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
              if op[0] != "equal"]
    first, last = blocks[0], blocks[-1]
    lo, hi, new_lo, new_hi = first[1], last[2], first[3], last[4]
    return (lo + 1, "\n".join(s.strip() for s in old[lo:hi]),
            "\n".join(s.strip() for s in new[new_lo:new_hi]))


def _fstring_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    import parso

    spans = []

    def walk(node):
        if node.type == "fstring":
            spans.append((node.start_pos, node.end_pos))
            return
        for child in getattr(node, "children", ()):
            walk(child)

    walk(parso.parse(source))
    return spans


# --- lanes: a copy of the tree and a warm runner each ------------------------------------------


def copy_tree(dest: pathlib.Path) -> None:
    """What a kata's tests need, outside the working tree's solutions/."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("dojo", "solutions"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    (dest / "tests").mkdir()
    for path in (ROOT / "tests").glob("*.py"):
        shutil.copy2(path, dest / "tests" / path.name)
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)


class Lane:
    """A copy of the tree with its own warm runner; runs one kata's tests at a time there."""

    def __init__(self, index: int, work_dir: pathlib.Path, threads: int):
        self.index = index
        self.root = work_dir / f"lane-{index}"
        self.socket = pathlib.Path(tempfile.gettempdir()) / f"dojo-mutate-{os.getuid()}-{os.getpid()}-{index}.sock"
        self.results = self.root / ".dojo" / "results.json"
        self.env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "DOJO_WARM_SOCKET": str(self.socket),
                    "DOJO_STATE_DIR": str(self.root / ".dojo"), "TF_CPP_MIN_LOG_LEVEL": "2",
                    "TF_NUM_INTRAOP_THREADS": str(threads), "TF_NUM_INTEROP_THREADS": str(threads)}
        self.env.pop("KATA_IMPL", None)
        self.server: subprocess.Popen | None = None
        self.probe: subprocess.Popen | None = None
        self.stopping = False

    def start(self) -> None:
        copy_tree(self.root)
        (self.root / ".dojo").mkdir(exist_ok=True)
        log = open(self.root / ".dojo" / "warm.log", "ab")
        self.server = subprocess.Popen([sys.executable, "-m", "dojo.warm_server", "serve", str(self.socket)],
                                       cwd=self.root, env=self.env, stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=log, start_new_session=True)
        log.close()

    def wait_ready(self, seconds: float = 180.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise MutateProblem(f"lane {self.index}'s warm runner exited: "
                                    f"{(self.root / '.dojo' / 'warm.log').read_text()[-2000:]}")
            with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as probe:
                probe.connect(str(self.socket))
                return
            time.sleep(0.1)
        raise MutateProblem(f"lane {self.index}'s warm runner did not start in {seconds:g} s")

    def test(self, kata: catalog.Kata, code: str | None) -> tuple[str, str, str, float]:
        """Run the kata's tests here with `code` as its solution (None: the solution itself);
        (outcome, one-line detail, output, seconds)."""
        from cosmic_ray.util import restore_contents

        target = self.root / "solutions" / kata.solution_file.name
        started = time.monotonic()
        with restore_contents(target):
            if code is not None:
                target.write_text(code)
            outcome, detail, output = self._probe(kata)
        return outcome, detail, output, time.monotonic() - started

    def _probe(self, kata: catalog.Kata) -> tuple[str, str, str]:
        if self.stopping:
            return ERROR, "stopped", ""
        self.probe = subprocess.Popen(
            [sys.executable, "-m", "dojo.mutate", "probe", str(kata.number), str(self.results)],
            cwd=self.root, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True)
        try:
            output, _ = self.probe.communicate(timeout=kata.hard_deadline + 60)
        except subprocess.TimeoutExpired:
            self.kill_probe()
            output, _ = self.probe.communicate()
            return ERROR, "the test run did not answer in time", output.decode(errors="replace")
        text = output.decode(errors="replace")
        first = text.split("\n", 1)[0]
        if self.stopping:
            return ERROR, "stopped", text
        if not first.startswith(VERDICT):
            return ERROR, f"no verdict (exit code {self.probe.returncode})", text
        outcome, _, detail = first[len(VERDICT):].strip().partition(" ")
        return (outcome if outcome in (KILLED, SURVIVED) else ERROR), detail, text

    def kill_probe(self) -> None:
        probe = self.probe
        if probe is not None and probe.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(probe.pid, signal.SIGKILL)

    def stop(self) -> None:
        """End this lane's processes (its warm runner ends the run it is serving) and its copy."""
        self.stopping = True
        self.kill_probe()
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()
        self._stop_stray_server()
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        shutil.rmtree(self.root, ignore_errors=True)

    def _stop_stray_server(self) -> None:
        """A warm runner a probe started itself (if the lane's own one had died): its pid file."""
        pid_file = self.socket.with_suffix(".pid")
        with contextlib.suppress(OSError, ValueError):
            pid = int(pid_file.read_text())
            if self.server is None or pid != self.server.pid:
                os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(FileNotFoundError):
            pid_file.unlink()


def _lane_loop(lane: Lane, jobs: queue.Queue, done: queue.Queue) -> None:
    while True:
        job = jobs.get()
        if job is None:
            return
        kata, mutant = job
        try:
            result = lane.test(kata, mutant.code if mutant else None)
        except Exception as error:  # report it; never leave the main thread waiting
            result = (ERROR, f"{type(error).__name__}: {error}", "", 0.0)
        done.put((kata, mutant, result))


# --- a run ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class KataRun:
    kata: catalog.Kata
    mutants: list[Mutant]
    baseline: str = ""  # "" when the solution passed its tests, else why not
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(m.outcome == outcome for m in self.mutants)

    @property
    def score(self) -> float | None:
        """killed / (mutants - equivalent), over the mutants that ran (all, unless interrupted)."""
        judged = self.count(KILLED) + self.count(SURVIVED) + self.count(ERROR)
        return self.count(KILLED) / judged if judged else None


@dataclasses.dataclass
class Report:
    runs: list[KataRun]
    seconds: float
    wrong_equivalents: list[Mutant]  # listed as equivalent, yet a test killed it
    stale_equivalents: list[Equivalent]  # listed for a kata that ran, matching no mutant
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return (not self.interrupted and not self.wrong_equivalents
                and all(not r.baseline and not r.count(SURVIVED) and not r.count(ERROR) for r in self.runs))


def run(katas: list[catalog.Kata], jobs: int = 0, match: str = "", work_dir: pathlib.Path = WORK_DIR,
        say=print) -> Report:
    """Mutate each kata's solution and run its tests on every mutant, `jobs` lanes at once."""
    missing = [_shown(k.solution_file) for k in katas if not k.solution_file.exists()]
    if missing:
        raise MutateProblem(f"nothing to mutate: {', '.join(missing)} missing (solutions/ is not part "
                            f"of a student release)")
    _require_cosmic_ray()
    equivalents = {e.key: e for e in load_equivalents()}
    jobs = jobs or max(1, min(os.cpu_count() or 1, 4))
    started = time.monotonic()
    work_dir.mkdir(parents=True, exist_ok=True)
    for stale in work_dir.glob("lane-*"):  # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    threads = max(1, (os.cpu_count() or 1) // jobs)
    lanes = [Lane(i, work_dir, threads) for i in range(jobs)]
    todo, done = queue.Queue(), queue.Queue()
    workers = [threading.Thread(target=_lane_loop, args=(lane, todo, done), daemon=True) for lane in lanes]
    runs: list[KataRun] = []
    report = Report(runs, 0.0, [], [])
    handlers = _interrupt_on_signals()
    try:
        for lane in lanes:  # their warm runners import TensorFlow while the mutants are made
            lane.start()
        for kata in katas:
            mutants = make_mutants(kata, work_dir / f"{kata.id}.sqlite")
            if match:
                mutants = [m for m in mutants if match in m.describe()]
            runs.append(KataRun(kata, mutants))
        say(f"{sum(len(r.mutants) for r in runs)} mutants of {len(runs)} kata(s); {jobs} lane(s), "
            f"each a copy of the tree with its own warm runner")
        for lane in lanes:
            lane.wait_ready()
        for worker in workers:
            worker.start()
        for r in runs:  # the solution itself must pass its tests, or every mutant is "killed"
            todo.put((r.kata, None))
        by_kata = {r.kata.number: r for r in runs}
        for _ in runs:
            kata, _, (outcome, detail, output, _) = done.get()
            if outcome != SURVIVED:
                by_kata[kata.number].baseline = f"{outcome}: {detail}"
        for r in runs:
            if r.baseline:
                say(f"kata {r.kata.number}: the solution does not pass its tests ({r.baseline}); "
                    f"its mutants are not run")
                continue
            kata_started = time.monotonic()
            for mutant in r.mutants:
                todo.put((r.kata, mutant))
            with _session(work_dir, r.kata) as db:
                for _ in r.mutants:
                    _, mutant, (outcome, detail, output, seconds) = done.get()
                    mutant.outcome, mutant.detail, mutant.seconds = outcome, detail, seconds
                    listed = equivalents.get(mutant.key)
                    if listed is not None:
                        if outcome == SURVIVED:
                            mutant.outcome, mutant.reason = EQUIVALENT, listed.reason
                        elif outcome == KILLED:
                            report.wrong_equivalents.append(mutant)
                    _record(db, mutant, output)
            r.seconds = time.monotonic() - kata_started
            say(_progress_line(r))
        ran = {r.kata.id for r in runs if not r.baseline}
        keys = {m.key for r in runs for m in r.mutants}
        report.stale_equivalents = [e for e in equivalents.values()
                                    if e.kata in ran and e.key not in keys and not match]
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        for number in handlers:  # a second Ctrl-C must not cut the clean-up short
            signal.signal(number, signal.SIG_IGN)
        for lane in lanes:
            lane.stopping = True
            lane.kill_probe()
        with contextlib.suppress(queue.Empty):
            while True:
                todo.get_nowait()
        for _ in workers:
            todo.put(None)
        for worker in workers:
            if worker.is_alive():
                worker.join(timeout=30)
        for lane in lanes:
            lane.stop()
        report.seconds = time.monotonic() - started
        _write_json(work_dir / "report.json", report)
        for number, handler in handlers.items():
            signal.signal(number, handler)
    return report


def _interrupt_on_signals() -> dict:
    """Ctrl-C, and also a plain `kill` or a closed terminal, stop the run the same way: through
    the clean-up above. (A job started in the background of a script inherits SIGINT ignored.)"""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def interrupt(number, frame):
        raise KeyboardInterrupt

    handlers = {}
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        handlers[number] = signal.signal(number, interrupt)
    return handlers


@contextlib.contextmanager
def _session(work_dir: pathlib.Path, kata: catalog.Kata):
    from cosmic_ray.work_db import WorkDB, use_db

    with use_db(str(work_dir / f"{kata.id}.sqlite"), WorkDB.Mode.open) as db:
        yield db


def _record(db, mutant: Mutant, output: str) -> None:
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

    outcome = {KILLED: TestOutcome.KILLED, SURVIVED: TestOutcome.SURVIVED,
               EQUIVALENT: TestOutcome.SURVIVED}.get(mutant.outcome, TestOutcome.INCOMPETENT)
    diff = "\n".join(difflib.unified_diff(
        mutant.kata.solution_file.read_text().splitlines(), mutant.code.splitlines(),
        f"a/solutions/{mutant.kata.id}.py", f"b/solutions/{mutant.kata.id}.py", lineterm=""))
    note = f"equivalent (tests/mutation/equivalent.toml): {mutant.reason}\n" if mutant.reason else ""
    db.set_result(mutant.job_id, WorkResult(worker_outcome=WorkerOutcome.NORMAL, test_outcome=outcome,
                                            output=note + output, diff=diff))


def _progress_line(r: KataRun) -> str:
    score = "-" if r.score is None else f"{100 * r.score:.1f}%"
    return (f"kata {r.kata.number:>2} {r.kata.id:<40} {len(r.mutants):>3} mutants, "
            f"{r.count(KILLED)} killed, {r.count(EQUIVALENT)} equivalent, {r.count(SURVIVED)} surviving"
            f"{f', {r.count(ERROR)} errors' if r.count(ERROR) else ''}: {score} in {r.seconds:.1f} s")


def _write_json(path: pathlib.Path, report: Report) -> None:
    data = {
        "seconds": round(report.seconds, 1), "interrupted": report.interrupted,
        "katas": [{
            "kata": r.kata.id, "mutants": len(r.mutants), "killed": r.count(KILLED),
            "equivalent": r.count(EQUIVALENT), "surviving": r.count(SURVIVED), "errors": r.count(ERROR),
            "score": r.score, "seconds": round(r.seconds, 1), "baseline": r.baseline,
            "results": [{"where": m.where, "operator": m.operator, "line": m.line, "mutated": m.mutated,
                         "outcome": m.outcome, "detail": m.detail, "seconds": round(m.seconds, 2)}
                        for m in r.mutants],
        } for r in report.runs],
        "wrong_equivalents": [{"where": m.where, "line": m.line, "mutated": m.mutated, "detail": m.detail}
                              for m in report.wrong_equivalents],
        "stale_equivalents": [dataclasses.asdict(e) for e in report.stale_equivalents],
    }
    with contextlib.suppress(OSError):
        path.write_text(json.dumps(data, indent=1))


def print_report(report: Report, console) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Mutation testing of solutions/ (score = killed / (mutants - equivalent))")
    for column in ("#", "kata", "mutants", "killed", "equivalent", "surviving", "score", "time"):
        table.add_column(column, justify="left" if column == "kata" else "right")
    for r in report.runs:
        score = "-" if r.score is None else f"{100 * r.score:.1f}%"
        if r.baseline:
            score = "[red]solution fails[/red]"
        surviving = r.count(SURVIVED)
        table.add_row(str(r.kata.number), r.kata.id, str(len(r.mutants)), str(r.count(KILLED)),
                      str(r.count(EQUIVALENT)), f"[red]{surviving}[/red]" if surviving else "0",
                      score, f"{r.seconds:.1f} s")
    total = [m for r in report.runs for m in r.mutants]
    judged = sum(m.outcome in (KILLED, SURVIVED, ERROR) for m in total)
    killed = sum(m.outcome == KILLED for m in total)
    table.add_row("", "[bold]all[/bold]", str(len(total)), str(killed),
                  str(sum(m.outcome == EQUIVALENT for m in total)),
                  str(sum(m.outcome == SURVIVED for m in total)),
                  f"{100 * killed / judged:.1f}%" if judged else "-", f"{report.seconds:.1f} s")
    console.print(table)
    survivors = [m for m in total if m.outcome == SURVIVED]
    if survivors:
        console.print(f"[bold]{len(survivors)} surviving mutant(s)[/bold]: a missing test, or list it "
                      f"in {_shown(EQUIVALENT_FILE)} with the reason it behaves like the solution")
        for m in survivors:
            console.print(f"  {m.where}  {escape(m.describe())}  [dim]({m.operator})[/dim]")
    errors = [m for m in total if m.outcome == ERROR]
    for m in errors:
        console.print(f"[red]error[/red] {m.where}  {escape(m.describe())}: {escape(m.detail)}")
    for m in report.wrong_equivalents:
        console.print(f"[red]listed as equivalent, but a test kills it[/red]: {m.where}  "
                      f"{escape(m.describe())} ({escape(m.detail)}); remove it from {_shown(EQUIVALENT_FILE)}")
    for e in report.stale_equivalents:
        console.print(f"[yellow]stale entry[/yellow] in {_shown(EQUIVALENT_FILE)}: {e.kata}: "
                      f"{escape(e.line)} -> {escape(e.mutated)} matches no mutant any more")
    if report.interrupted:
        not_run = sum(not m.outcome for m in total)
        console.print(f"[yellow]Interrupted[/yellow] ({not_run} mutants not run; scores count those "
                      f"that ran). Mutants were only ever written to the lanes' copies (now removed); "
                      f"solutions/ is untouched.")
    console.print(f"Details per mutant (diff, test output): cr-report --show-diff --show-output "
                  f"{_shown(WORK_DIR)}/<kata id>.sqlite")


# --- the command line ------------------------------------------------------------------------


def cmd_mutate(args) -> int:
    """`python -m dojo mutate [N]` (options: dojo/cli.py)."""
    if args.tests_of:
        return run_kata_tests(catalog.named(args.tests_of), pathlib.Path(args.results))
    katas = [catalog.named(args.kata)] if args.kata else catalog.load()
    console = terminal.console(width=None if sys.stdout.isatty() else 120)
    try:
        report = run(katas, args.jobs, args.match, args.work_dir.resolve(), say=console.print)
    except MutateProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    print_report(report, console)
    if report.interrupted:
        return 130
    return 0 if report.ok else 1


def run_kata_tests(kata: catalog.Kata, results_file: pathlib.Path) -> int:
    """In a lane's warm runner: the kata's tests on the lane's solutions/, stopping at the first
    failure, in this process (the warm runner's fork already isolates the run)."""
    import pytest

    return pytest.main([str(kata.test_file), "-q", "--no-header", "-p", "no:cacheprovider",
                        "--disable-warnings", "--solutions", "-x", "--no-isolate", f"--results={results_file}"])


def probe(number: str, results_file: pathlib.Path) -> int:
    """`python -m dojo.mutate probe N RESULTS`, in a lane: run kata N's tests in the lane's warm
    runner; print a verdict line, then the run's output. Exit 1 killed, 0 survived, 3 no verdict."""
    kata = catalog.find(number)
    results_file.unlink(missing_ok=True)
    out = io.BytesIO()
    try:
        code = warm.run(["mutate", "--tests-of", str(kata.number), "--results", str(results_file)],
                        out=out, deadline_seconds=kata.hard_deadline)
    except (OSError, RuntimeError) as problem:
        print(f"{VERDICT} {ERROR} the warm runner is not available: {problem}")
        return 3
    text = out.getvalue().decode(errors="replace")
    tests = results.read(results_file)
    failed = [t for t in tests if t.failed]
    if failed:
        print(f"{VERDICT} {KILLED} {failed[0].test}: {failed[0].headline[:200]}")
        code = 1
    elif code == 124:
        print(f"{VERDICT} {KILLED} the run outlived the kata's hard deadline")
        code = 1
    elif code == 0 and any(t.status == "pass" for t in tests):
        print(f"{VERDICT} {SURVIVED} {sum(t.status == 'pass' for t in tests)} tests passed")
    else:
        print(f"{VERDICT} {ERROR} exit code {code}, {len(tests)} results")
        code = 3
    print(text)
    return code


def _shown(path: pathlib.Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    if sys.argv[1:2] == ["probe"] and len(sys.argv) == 4:
        sys.exit(probe(sys.argv[2], pathlib.Path(sys.argv[3])))
    print("usage: python -m dojo.mutate probe N RESULTS (used by `python -m dojo mutate`)", file=sys.stderr)
    sys.exit(2)
