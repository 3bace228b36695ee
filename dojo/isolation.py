"""Kata tests in forked worker processes, with a hard time limit: the plugin's isolation mode.

Why: pytest-timeout's signal cannot stop a hang inside a TensorFlow op (C++ never returns to
Python) nor code that swallows the timeout with a bare `except:`; and a learner can change global
Keras state (mixed precision, floatx, eager mode) that the next kata would inherit. Tests run in
forked workers instead: the parent kills a worker whose test outlives its limit plus a grace period
and reports "time limit exceeded" for that test only, and a worker's global changes die with it.
Workers also let tests run side by side on several cores (`run_many`); reports are still delivered
in collection order.

A worker runs tests of one group only (the plugin groups by kata and variant: the same code under
test), one after another, so a kata's tests share a warmed-up TensorFlow runtime instead of paying
its start in a new process per test (~0.06 s each); the plugin's autouse fixture resets Keras'
global state before every test. A worker whose test was stopped by pytest-timeout exits after
reporting it (its state may be half-way through anything); a killed or crashed worker costs only
the test it was running, and the tests still pending go to new workers.

The parent never runs a TensorFlow op (kata tests run before any other test, see the plugin), so
forking is safe.
"""
from __future__ import annotations

import contextlib
import dataclasses
import faulthandler
import json
import os
import pathlib
import re
import select
import signal
import struct
import tempfile
import time

from _pytest.reports import TestReport
from _pytest.runner import runtestprotocol

GRACE_SECONDS = 5.0  # pytest-timeout's own signal at the limit gets this long to work first
_FRAME = struct.Struct("!Q")  # each result a worker sends: its length, then JSON
_ORDER = struct.Struct("!i")  # each order the parent sends: an item index, or -1 to exit


@dataclasses.dataclass
class Worker:
    group: object
    pid: int
    orders: int  # parent -> worker
    results: int  # worker -> parent
    item: object = None  # the test it is running, if any
    started: float = 0.0
    deadline: float = 0.0
    limit: float = 0.0
    buffer: bytes = b""
    closed: bool = False  # pipes closed: the worker has exited, is exiting or was killed
    stack_file: str = ""  # where the worker dumps its Python stack on SIGUSR1


def start_worker(items, group, threads: int | None, private_fds=()) -> Worker:
    """Fork a worker that runs the items it is sent by index until told to stop. The worker
    closes `private_fds` (the parent's own channels) before it runs anything."""
    order_read, order_write = os.pipe()
    result_read, result_write = os.pipe()
    stack_fd, stack_file = tempfile.mkstemp(prefix="dojo-stack-", suffix=".txt")
    pid = os.fork()
    if pid == 0:
        for fd in (order_write, result_read, *private_fds):
            with contextlib.suppress(OSError):
                os.close(fd)
        faulthandler.register(signal.SIGUSR1, file=stack_fd, all_threads=True)
        _work(items, order_read, result_write, threads)
    os.close(stack_fd)
    os.close(order_read)
    os.close(result_write)
    return Worker(group, pid, order_write, result_read, stack_file=stack_file)


def _work(items, orders: int, results: int, threads) -> None:
    """The worker's loop: run each ordered test, send back its reports and what it added to the
    session's lists; stop on -1, on a closed pipe, or after a test pytest-timeout stopped."""
    code = 0
    try:
        if threads:
            _limit_threads(threads)
        with os.fdopen(orders, "rb", buffering=0) as inbox, os.fdopen(results, "wb") as outbox:
            while True:
                raw = inbox.read(_ORDER.size)
                if len(raw) < _ORDER.size:
                    break
                (index,) = _ORDER.unpack(raw)
                if index < 0:
                    break
                payload = _run_one(items[index])
                data = json.dumps(payload).encode()
                outbox.write(_FRAME.pack(len(data)) + data)
                outbox.flush()
                if payload["retire"]:
                    break
    except BaseException:  # never let a worker continue into the parent's loop
        code = 1
    finally:
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


def _assign(worker: Worker, items, index: int, limit: float) -> None:
    worker.item = items[index]
    worker.started = time.monotonic()
    worker.deadline = worker.started + limit + GRACE_SECONDS
    worker.limit = limit
    os.write(worker.orders, _ORDER.pack(index))


def _retire(worker: Worker) -> None:
    """Tell an idle worker to exit; it is reaped once it has."""
    try:
        os.write(worker.orders, _ORDER.pack(-1))
    except OSError:
        pass
    _close(worker)


def _close(worker: Worker) -> None:
    """Close the worker's pipes; it is reaped later (it has exited or been killed, or is about to)."""
    if worker.closed:
        return
    worker.closed = True
    for fd in (worker.orders, worker.results):
        try:
            os.close(fd)
        except OSError:
            pass
    with contextlib.suppress(OSError):
        os.unlink(worker.stack_file)
    _exited.append(worker.pid)


_exited: list[int] = []  # workers told to stop or killed: reaped without waiting for them


def _reap() -> None:
    """Collect the exit status of workers that are gone. Never blocks: a worker's exit (tearing
    down its copy of TensorFlow) takes ~20 ms that nobody needs to wait for."""
    for pid in list(_exited):
        try:
            finished, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            finished = pid
        if finished:
            _exited.remove(pid)


def _poll(workers: list[Worker], wait: float, done: dict, where=None) -> None:
    """Read what the busy workers sent; record finished tests in `done` (id(item) -> outcome);
    end workers that closed their pipe or whose test ran out of time."""
    busy = [w for w in workers if not w.closed and w.item is not None]
    if not busy:
        return
    timeout = max(0.0, min(wait, min(w.deadline for w in busy) - time.monotonic()))
    ready, _, _ = select.select([w.results for w in busy], [], [], timeout)
    for worker in busy:
        if worker.results in ready:
            chunk = os.read(worker.results, 1 << 20)
            if chunk:
                worker.buffer += chunk
                _take_frames(worker, done)
                continue
            _take_frames(worker, done)
            if worker.item is not None:  # died without a result for its test
                duration = time.monotonic() - worker.started
                done[id(worker.item)] = ([_crashed_report(worker.item, duration)], [], [])
                worker.item = None
            _close(worker)
        elif time.monotonic() >= worker.deadline:
            frames = _stack_frames(_stack_of(worker))
            os.kill(worker.pid, signal.SIGKILL)
            duration = time.monotonic() - worker.started
            place = where(worker.item, frames) if where else ""
            done[id(worker.item)] = (
                [_killed_report(worker.item, worker.limit, duration, place)], [], [])
            worker.item = None
            _close(worker)


def _stack_of(worker: Worker, wait: float = 0.5) -> str:
    """The Python stack of a worker that overran its limit, dumped by faulthandler (which works
    even while the thread is stuck inside a TensorFlow op)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(worker.pid, signal.SIGUSR1)
    stack_file = pathlib.Path(worker.stack_file)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and not _read(stack_file):
        time.sleep(0.05)
    time.sleep(0.05)  # let faulthandler finish writing
    return _read(stack_file)


def _read(path: pathlib.Path) -> str:
    with contextlib.suppress(OSError):
        return path.read_text()
    return ""


def _stack_frames(stack: str) -> list[tuple[str, int, str]]:
    """(file, line, function) of each frame in a faulthandler dump, outermost first."""
    found = re.findall(r'File "([^"]+)", line (\d+) in (\S+)', stack)
    return [(file, int(line), name) for file, line, name in reversed(found)]


def _take_frames(worker: Worker, done: dict) -> None:
    while len(worker.buffer) >= _FRAME.size:
        (size,) = _FRAME.unpack_from(worker.buffer)
        if len(worker.buffer) < _FRAME.size + size:
            return
        # JSON, not pickle: the worker runs the code under test, and unpickling what it sends
        # would let that code run here, in the process that reports every result.
        config = worker.item.config
        try:
            payload = json.loads(worker.buffer[_FRAME.size:_FRAME.size + size])
            reports = [config.hook.pytest_report_from_serializable(config=config, data=d)
                       for d in payload["reports"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            payload, reports = {"results": [], "freeze_maps": [], "retire": True}, [
                _report(worker.item, "the test process sent a garbled result", 0.0)]
        worker.buffer = worker.buffer[_FRAME.size + size:]
        # A worker speaks for the test it was given, never for another one.
        results = [r for r in payload["results"]
                   if isinstance(r, dict) and r.get("nodeid") == worker.item.nodeid]
        done[id(worker.item)] = (reports, results, payload["freeze_maps"])
        worker.item = None
        if payload["retire"]:
            _close(worker)


def run_many(items, limit_of, workers: int, deliver, should_stop=lambda: False,
             expected_seconds=None, group_of=lambda item: None, where=None,
             stop_group=lambda reports: None, private_fds=()) -> None:
    """Run tests in up to `workers` worker processes at once; `deliver(item, reports, results)`
    is called in the items' order as soon as each one and all before it have finished.

    A worker only runs items of one group (`group_of(item)`). With `expected_seconds` (item ->
    seconds or None), the longest tests start first, so a long test at the end of a file does
    not run alone after the short ones; unknown ones keep their place ahead of known ones.
    `where(item, frames)` says where a test killed at its limit was, from its worker's stack.
    `stop_group(reports)` returns a reason when a finished test's reports mean the rest of its
    group should not run (say, it hit its time limit): those tests are then reported as not run,
    with that reason, instead of each paying the same limit. Workers close `private_fds`."""
    threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else None
    import gc

    gc.freeze()  # the workers then do not copy this process's objects when their gc runs
    index_of = {id(item): i for i, item in enumerate(items)}
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
                _assign(worker, items, index_of[id(same)], limit_of(same))
            pool = [w for w in pool if not w.closed]
            while pending and len(pool) < workers and not should_stop():
                item = pending.pop(0)
                worker = start_worker(items, group_of(item), threads, private_fds)
                _assign(worker, items, index_of[id(item)], limit_of(item))
                pool.append(worker)
            if not pool:
                return  # stopped early (e.g. -x): the rest is not run
            finished = set(done)
            _poll(pool, 0.5, done, where)
            _reap()
            for key in set(done) - finished:
                reason = stop_group(done[key][0])
                if reason is not None:
                    group = group_of(items[index_of[key]])
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
                os.kill(worker.pid, signal.SIGKILL)
                _close(worker)
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
