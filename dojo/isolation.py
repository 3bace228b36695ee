"""Kata tests in worker processes, with a hard time limit: the plugin's isolation mode.

Why: pytest-timeout's signal cannot stop a hang inside a TensorFlow op (C++ never returns to
Python) nor code that swallows the timeout with a bare `except:`; and a learner can change global
Keras state (mixed precision, floatx, eager mode) that the next kata would inherit. Tests run in
worker processes instead: the parent kills a worker whose test outlives its limit plus a grace
period and reports "time limit exceeded" for that test only, and a worker's global changes die
with it. Workers also let tests run side by side on several cores (`run_many`); reports are still
delivered in collection order.

Two ways to start a worker (`--workers fork|spawn`, or DOJO_WORKERS):
  - fork (Linux, the default there): a copy of this process, with TensorFlow imported and the
    tests collected, ready at once. Safe because the parent never runs a TensorFlow op (kata tests
    run before any other test, see the plugin), so it owns no TensorFlow thread pool.
  - spawn (macOS and Windows, where fork after importing TensorFlow is unsafe or absent): a fresh
    interpreter that imports pytest and TensorFlow, collects the kata's test file and then serves
    the same orders. It costs an import per worker (see `make bench`) and keeps every guarantee.
Both speak through multiprocessing connections (whole JSON messages) and are waited on with
`multiprocessing.connection.wait`, which works on every platform. The parent never blocks on a
read: the code under test can write into its end of the pipe (it is a file descriptor of the
worker like any other), and a forged length would otherwise keep `recv_bytes` waiting forever,
past every time limit. So on POSIX the parent reads what is there and cuts whole messages itself
(`_receive`); Windows' named pipes deliver whole messages by themselves.

A worker runs tests of one group only (the plugin groups by kata and variant: the same code under
test), one after another, so a kata's tests share a warmed-up TensorFlow runtime; the plugin's
autouse fixture resets Keras' global state before every test. A worker whose test was stopped by
pytest-timeout exits after reporting it (its state may be half-way through anything); a killed or
crashed worker costs only the test it was running, and the tests still pending go to new workers.
Where the code was when a test overran: faulthandler's watchdog in the worker dumps every thread's
stack to a file just before the parent's kill (it works even while a thread is stuck in C++).
"""
from __future__ import annotations

import contextlib
import dataclasses
import faulthandler
import gc
import json
import multiprocessing
import multiprocessing.connection
import os
import pathlib
import re
import sys
import tempfile
import time

import pytest
from _pytest.reports import TestReport
from _pytest.runner import runtestprotocol

# TensorFlow is imported only in a worker that limits its threads (a fork must not start it
# here), and pytest-timeout's internals only where its settings are read.

GRACE_SECONDS = 5.0  # pytest-timeout's own signal at the limit gets this long to work first
STARTUP_SECONDS = 180.0  # a spawned worker's imports and collection, before its first test
MAX_MESSAGE_BYTES = 64 * 2**20  # a test's reports are kilobytes; a longer length is forged
GARBLED = ("the test process sent a garbled result (does the code write to a file descriptor "
           "it did not open?)")
MODES = ("fork", "spawn")


def default_mode() -> str:
    """fork where it is safe and fast (Linux), spawn elsewhere; DOJO_WORKERS=spawn|fork decides."""
    chosen = os.environ.get("DOJO_WORKERS", "").strip().lower()
    if chosen in MODES:
        return chosen
    return "fork" if sys.platform.startswith("linux") else "spawn"


@dataclasses.dataclass
class Worker:
    group: object
    process: object  # a multiprocessing Process
    conn: object  # its end of the pipe: orders out, results in
    ready: bool  # a forked worker is ready at once; a spawned one says so after collecting
    item: object = None  # the test it is running, if any
    started: float = 0.0
    deadline: float = float("inf")
    limit: float = 0.0
    closed: bool = False  # the worker has exited, is exiting or was killed
    stack_file: str = ""  # where its watchdog dumps every thread's stack before the kill
    inbox: bytearray = dataclasses.field(default_factory=bytearray)  # part of a message, read


# --- inside a worker ----------------------------------------------------------------------------


def _forked_worker(items, conn, threads, private_fds, stack_file) -> None:
    """A forked worker: the parent's items are already here."""
    for fd in private_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    _serve({item.nodeid: item for item in items}, conn, threads, stack_file)


def _spawned_worker(args: list[str], rootdir: str, conn, threads, stack_file) -> None:
    """A spawned worker: collect the kata's tests in a pytest session of its own, then serve."""
    os.chdir(rootdir)
    os.environ["DOJO_SPAWNED_WORKER"] = "1"  # the plugin leaves the run loop to _Serving
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        pytest.main(args, plugins=[_Serving(conn, threads, stack_file)])
    os._exit(0)


class _Serving:
    """The pytest plugin of a spawned worker: instead of running the tests it collected, it runs
    those the parent orders."""

    def __init__(self, conn, threads, stack_file):
        self.conn, self.threads, self.stack_file = conn, threads, stack_file

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        self.conn.send_bytes(json.dumps({"ready": True}).encode())
        _serve({item.nodeid: item for item in session.items}, self.conn, self.threads,
               self.stack_file)


def _serve(items: dict, conn, threads, stack_file) -> None:
    """The worker's loop: run each ordered test, send back its reports and what it added to the
    session's lists; stop on an empty order, on a closed pipe, or after a test pytest-timeout
    stopped. Never returns into the caller's code."""
    code = 0
    try:
        if threads:
            _limit_threads(threads)
        with open(stack_file, "w") as stacks:
            while True:
                try:
                    nodeid = conn.recv_bytes().decode()
                except (EOFError, OSError):
                    break
                if not nodeid:
                    break
                item = items[nodeid]
                limit = _timeout_settings(item).timeout or 0
                if limit:  # dump the stacks just before the parent's kill
                    faulthandler.dump_traceback_later(limit + GRACE_SECONDS - 0.5, file=stacks)
                try:
                    payload = _run_one(item)
                finally:
                    faulthandler.cancel_dump_traceback_later()
                conn.send_bytes(json.dumps(payload).encode())
                if payload["retire"]:
                    break
    except BaseException:  # never let a worker continue into the parent's loop
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _run_one(item) -> dict:
    config = item.config
    config._kata_in_child = True
    known = (len(config._kata_results), len(config._kata_freeze_maps))
    hook = config.hook
    hook.pytest_timeout_set_timer(item=item, settings=_timeout_settings(item))
    try:
        reports = runtestprotocol(item, log=False, nextitem=None)
    finally:
        hook.pytest_timeout_cancel_timer(item=item)
    return {
        "reports": [hook.pytest_report_to_serializable(config=config, report=r) for r in reports],
        "results": config._kata_results[known[0]:],
        "freeze_maps": config._kata_freeze_maps[known[1]:],
        "retire": hit_time_limit(reports),
    }


def _limit_threads(threads: int) -> None:
    """Side-by-side workers share the cores: give each worker's TensorFlow its share."""
    try:
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except (ImportError, RuntimeError):  # already initialised: keep TensorFlow's defaults
        pass


def _timeout_settings(item):
    """pytest-timeout's settings for this item (marker, ini, command line), as it computes them."""
    import pytest_timeout

    return pytest_timeout._get_item_settings(item)


# --- in the parent --------------------------------------------------------------------------


def start_worker(items, group, threads: int | None, private_fds=(), mode: str = "fork",
                 spawn_args=None) -> Worker:
    """Start a worker that runs the items it is sent (by node id) until told to stop. A forked
    worker closes `private_fds` (the parent's own channels) before it runs anything; a spawned
    one never had them. `spawn_args(group)` gives a spawned worker's pytest arguments."""
    context = multiprocessing.get_context(mode)
    conn, child_end = context.Pipe()
    handle, stack_file = tempfile.mkstemp(prefix="dojo-stack-", suffix=".txt")
    os.close(handle)
    if mode == "fork":
        # A fork inherits the parent's ends of the other workers' pipes: it closes them, so that
        # the code under test cannot write orders to, or read results of, another kata's worker.
        private = [*private_fds, *(w.conn.fileno() for w in _open if not w.closed)]
        target, args = _forked_worker, (items, child_end, threads, private, stack_file)
    else:
        target, args = _spawned_worker, (spawn_args(group), os.getcwd(), child_end, threads,
                                         stack_file)
    process = context.Process(target=target, args=args, daemon=True)
    process.start()
    child_end.close()
    worker = Worker(group, process, conn, ready=(mode == "fork"), stack_file=stack_file)
    _open.append(worker)
    return worker


def _assign(worker: Worker, item, limit: float) -> None:
    worker.item, worker.limit = item, limit
    _start_clock(worker)
    worker.conn.send_bytes(item.nodeid.encode())


def _start_clock(worker: Worker) -> None:
    """The limit counts from when the worker can start the test: a spawned worker's imports and
    collection have their own, longer allowance."""
    worker.started = time.monotonic()
    if worker.ready:
        worker.deadline = worker.started + worker.limit + GRACE_SECONDS
    else:
        worker.deadline = worker.started + STARTUP_SECONDS


def _retire(worker: Worker) -> None:
    """Tell an idle worker to exit; it is reaped once it has."""
    with contextlib.suppress(OSError, ValueError):
        worker.conn.send_bytes(b"")
    _close(worker)


def _kill(worker: Worker) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        worker.process.kill()
    _close(worker)


def _close(worker: Worker) -> None:
    """Close the worker's pipe; it is reaped later (it has exited or been killed, or is about to)."""
    if worker.closed:
        return
    worker.closed = True
    with contextlib.suppress(ValueError):
        _open.remove(worker)
    with contextlib.suppress(OSError):
        worker.conn.close()
    _exited.append(worker)


_open: list[Worker] = []  # workers whose pipe is open (a new fork closes the parent's ends)
_exited: list[Worker] = []  # workers told to stop or killed: reaped without waiting for them


def _reap() -> None:
    """Collect workers that are gone, and their stack files. Never blocks: a worker's exit
    (tearing down its copy of TensorFlow) takes ~20 ms that nobody needs to wait for."""
    for worker in list(_exited):
        if worker.process.exitcode is not None or not worker.process.is_alive():
            worker.process.join(0)
            with contextlib.suppress(OSError):
                os.unlink(worker.stack_file)
            _exited.remove(worker)


def _poll(workers: list[Worker], wait: float, done: dict, where=None) -> None:
    """Read what the busy workers sent; record finished tests in `done` (id(item) -> outcome);
    end workers that closed their pipe or whose test ran out of time."""
    busy = [w for w in workers if not w.closed and w.item is not None]
    if not busy:
        return
    timeout = max(0.0, min(wait, min(w.deadline for w in busy) - time.monotonic()))
    ready = multiprocessing.connection.wait([w.conn for w in busy], timeout)
    for worker in busy:
        if worker.conn in ready:
            try:
                messages = _receive(worker)
            except _Garbled:
                _kill(worker)
                done[id(worker.item)] = ([_report(worker.item, GARBLED,
                                                  time.monotonic() - worker.started)], [], [])
                worker.item = None
                continue
            if messages is None:  # died without a result for its test
                duration = time.monotonic() - worker.started
                # Past its limit, it was stopped for it (pytest-timeout's thread method, used
                # where there is no SIGALRM, ends the whole process at the limit).
                report = (_killed_report(worker.item, worker.limit, duration,
                                         where(worker.item, _stack_frames(_read(
                                             pathlib.Path(worker.stack_file)))) if where else "")
                          if worker.ready and duration >= worker.limit
                          else _crashed_report(worker.item, duration))
                done[id(worker.item)] = ([report], [], [])
                worker.item = None
                _close(worker)
                continue
            for message in messages:
                if worker.item is None:  # nothing is owed after the result of its test
                    break
                _take(worker, message, done)
        elif time.monotonic() >= worker.deadline:
            frames = _stack_frames(_stack_of(worker)) if worker.ready else []
            _kill(worker)
            duration = time.monotonic() - worker.started
            place = where(worker.item, frames) if where else ""
            report = (_killed_report(worker.item, worker.limit, duration, place) if worker.ready
                      else _report(worker.item, f"the test process did not start within "
                                                f"{STARTUP_SECONDS:g} s", duration))
            done[id(worker.item)] = ([report], [], [])
            worker.item = None


class _Garbled(Exception):
    """A worker's pipe holds bytes that are not one of its messages."""


def _receive(worker: Worker) -> list[bytes] | None:
    """The whole messages a worker has sent so far (maybe none yet), read without blocking once
    `wait` said its pipe is readable; None once the pipe is closed. Raises _Garbled on a length
    no worker sends."""
    if sys.platform == "win32":  # message-mode named pipes: each message arrives whole
        try:
            return [worker.conn.recv_bytes(MAX_MESSAGE_BYTES)]
        except (EOFError, OSError):
            return None
    try:
        chunk = os.read(worker.conn.fileno(), 1 << 16)
    except OSError:
        return None
    if not chunk:
        return None
    worker.inbox += chunk
    messages = []
    # multiprocessing's framing: a signed 4-byte big-endian length, then the message.
    while len(worker.inbox) >= 4:
        size = int.from_bytes(worker.inbox[:4], "big", signed=True)
        if not 0 <= size <= MAX_MESSAGE_BYTES:
            raise _Garbled()
        if len(worker.inbox) < 4 + size:
            break
        messages.append(bytes(worker.inbox[4:4 + size]))
        del worker.inbox[:4 + size]
    return messages


def _stack_of(worker: Worker, wait: float = 0.5) -> str:
    """The stack dump the worker's watchdog wrote just before its kill."""
    stack_file = pathlib.Path(worker.stack_file)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and not _read(stack_file):
        time.sleep(0.05)
    return _read(stack_file)


def _read(path: pathlib.Path) -> str:
    with contextlib.suppress(OSError):
        return path.read_text()
    return ""


def _stack_frames(stack: str) -> list[tuple[str, int, str]]:
    """(file, line, function) of each frame in a faulthandler dump, outermost first."""
    found = re.findall(r'File "([^"]+)", line (\d+) in (\S+)', stack)
    return [(file, int(line), name) for file, line, name in reversed(found)]


def _take(worker: Worker, message: bytes, done: dict) -> None:
    """One message from a worker: 'ready' (a spawned worker collected its tests), or a result."""
    # JSON, not pickle: the worker runs the code under test, and unpickling what it sends
    # would let that code run here, in the process that reports every result.
    config = worker.item.config
    try:
        payload = json.loads(message)
        if payload.get("ready") is True and not worker.ready:
            worker.ready = True
            _start_clock(worker)
            return
        reports = [config.hook.pytest_report_from_serializable(config=config, data=d)
                   for d in payload["reports"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        payload, reports = {"results": [], "freeze_maps": [], "retire": True}, [
            _report(worker.item, GARBLED, 0.0)]
    # A worker speaks for the test it was given, never for another one.
    results = [r for r in payload["results"]
               if isinstance(r, dict) and r.get("nodeid") == worker.item.nodeid]
    done[id(worker.item)] = (reports, results, payload["freeze_maps"])
    worker.item = None
    if payload["retire"]:
        _close(worker)


def run_many(items, limit_of, workers: int, deliver, should_stop=lambda: False,
             expected_seconds=None, group_of=lambda item: None, where=None,
             stop_group=lambda reports: None, private_fds=(), mode: str = "fork",
             spawn_args=None) -> None:
    """Run tests in up to `workers` worker processes at once; `deliver(item, reports, results)`
    is called in the items' order as soon as each one and all before it have finished.

    A worker only runs items of one group (`group_of(item)`). With `expected_seconds` (item ->
    seconds or None), the longest tests start first, so a long test at the end of a file does
    not run alone after the short ones; unknown ones keep their place ahead of known ones.
    `where(item, frames)` says where a test killed at its limit was, from its worker's stack.
    `stop_group(reports)` returns a reason when a finished test's reports mean the rest of its
    group should not run (say, it hit its time limit): those tests are then reported as not run,
    with that reason, instead of each paying the same limit. Forked workers close `private_fds`;
    `mode` and `spawn_args` as for start_worker."""
    threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else None
    if mode == "fork":
        gc.freeze()  # the workers then do not copy this process's objects when their gc runs
    pending = list(items)
    if expected_seconds is not None:
        guesses = {id(item): expected_seconds(item) for item in items}
        pending.sort(key=lambda item: -(guesses[id(item)] if guesses[id(item)] is not None
                                        else float("inf")))
    pool: list[Worker] = []
    done: dict[int, tuple] = {}
    next_to_deliver = 0
    try:
        while next_to_deliver < len(items):
            pool = [w for w in pool if not w.closed]
            for worker in [w for w in pool if w.item is None]:
                same = next((i for i in pending if group_of(i) == worker.group), None)
                if same is None or should_stop():
                    _retire(worker)
                    continue
                pending.remove(same)
                _assign(worker, same, limit_of(same))
            pool = [w for w in pool if not w.closed]
            while pending and len(pool) < workers and not should_stop():
                item = pending.pop(0)
                worker = start_worker(items, group_of(item), threads, private_fds, mode, spawn_args)
                _assign(worker, item, limit_of(item))
                pool.append(worker)
            if not pool:
                return  # stopped early (e.g. -x): the rest is not run
            finished = set(done)
            _poll(pool, 0.5, done, where)
            _reap()
            for key in set(done) - finished:
                reason = stop_group(done[key][0])
                if reason is not None:
                    group = group_of(next(i for i in items if id(i) == key))
                    for item in [i for i in pending if group_of(i) == group]:
                        pending.remove(item)
                        done[id(item)] = ([_not_run_report(item, reason)], [], [])
            while next_to_deliver < len(items) and id(items[next_to_deliver]) in done:
                item = items[next_to_deliver]
                reports, results, freeze_maps = done.pop(id(item))
                item.config._kata_freeze_maps.extend(freeze_maps)
                deliver(item, reports, results)
                next_to_deliver += 1
    finally:
        for worker in pool:
            if worker.closed:
                continue
            if worker.item is not None:
                _kill(worker)
            else:
                _retire(worker)
        _reap()


def _report(item, message: str, duration: float) -> TestReport:
    return TestReport(item.nodeid, item.location, {k: 1 for k in item.keywords}, "failed",
                      message, "call", [], duration)


def _killed_report(item, limit: float, duration: float, where: str = "") -> TestReport:
    place = f"\nYour code was here when it was stopped:\n{where}" if where else ""
    return _report(item, f"time limit of {limit:g} s exceeded: the test was stopped after "
                         f"{duration:.0f} s (the code kept running past the limit: an endless "
                         f"loop inside a TensorFlow op, or one that swallows the timeout with a "
                         f"bare `except:`?){place}", duration)


def _not_run_report(item, reason: str) -> TestReport:
    return _report(item, f"not run: {reason}", 0.0)


def hit_time_limit(reports) -> bool:
    """Whether a test's reports say it was stopped at its time limit (by pytest-timeout's signal,
    or killed by the parent)."""
    return any(r.failed and ("from pytest-timeout" in str(r.longrepr)
                             or str(r.longrepr).startswith("time limit of ")) for r in reports)


def _crashed_report(item, duration: float) -> TestReport:
    return _report(item, "the test process died without a result (the code crashed the "
                         "interpreter, or called os._exit / sys.exit in a way pytest cannot report)",
                   duration)
