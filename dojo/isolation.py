"""Each kata test in a forked child, with a hard time limit: the plugin's isolation mode.

Why: pytest-timeout's signal cannot stop a hang inside a TensorFlow op (C++ never returns to
Python) nor code that swallows the timeout with a bare `except:`; and a learner can change global
Keras state (mixed precision, floatx, eager mode) that the next kata would inherit. A forked child
per test contains all of that: the parent kills a child that outlives its limit plus a grace
period and reports "time limit exceeded" for that test only, and a child's global changes die with
it. Children also let independent tests run side by side on several cores (`run_many`); reports
are still delivered in collection order.

The parent never runs a TensorFlow op (kata tests run before any other test, see the plugin), so
forking is safe; zoo weights pretrained in a child are sent back, so later children reuse them.
"""
from __future__ import annotations

import dataclasses
import os
import pickle
import select
import signal
import time

from _pytest.reports import TestReport
from _pytest.runner import runtestprotocol

GRACE_SECONDS = 5.0  # pytest-timeout's own signal at the limit gets this long to work first


@dataclasses.dataclass
class Child:
    item: object
    pid: int
    fd: int
    started: float
    deadline: float
    limit: float
    chunks: list = dataclasses.field(default_factory=list)
    done: bool = False
    outcome: tuple | None = None  # (reports, results) once finished


def start(item, limit_seconds: float, threads: int | None = None) -> Child:
    """Fork a child that runs the test's setup, call and teardown and pipes back the reports."""
    from dojo import zoo

    known_zoo = set(zoo._PRETRAINED)
    known = (len(item.config._kata_results), len(item.config._kata_freeze_maps))
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(item, write_fd, known_zoo, known, threads)
    os.close(write_fd)
    return Child(item, pid, read_fd, started, started + limit_seconds + GRACE_SECONDS, limit_seconds)


def _child(item, write_fd, known_zoo, known, threads) -> None:
    """Run the test here; send back its reports and what it added to the session's lists."""
    code = 0
    try:
        from dojo import zoo

        if threads:
            _limit_threads(threads)
        item.config._kata_in_child = True
        hook = item.config.hook
        hook.pytest_timeout_set_timer(item=item, settings=_timeout_settings(item))
        try:
            reports = runtestprotocol(item, log=False, nextitem=None)
        finally:
            hook.pytest_timeout_cancel_timer(item=item)
        payload = {
            "reports": [hook.pytest_report_to_serializable(config=item.config, report=r)
                        for r in reports],
            "results": item.config._kata_results[known[0]:],
            "freeze_maps": item.config._kata_freeze_maps[known[1]:],
            "zoo": {k: v for k, v in zoo._PRETRAINED.items() if k not in known_zoo},
        }
        with os.fdopen(write_fd, "wb") as out:
            pickle.dump(payload, out)
    except BaseException:  # never let a child continue into the parent's loop
        code = 1
    finally:
        os._exit(code)


def _limit_threads(threads: int) -> None:
    """Side-by-side children share the cores: give each child's TensorFlow its share."""
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


def poll(children: list[Child], wait: float) -> None:
    """Read whatever the running children wrote; finish those that closed or ran out of time."""
    running = [c for c in children if not c.done]
    if not running:
        return
    now = time.monotonic()
    timeout = max(0.0, min(wait, min(c.deadline for c in running) - now))
    ready, _, _ = select.select([c.fd for c in running], [], [], timeout)
    for child in running:
        if child.fd in ready:
            chunk = os.read(child.fd, 1 << 20)
            if chunk:
                child.chunks.append(chunk)
                continue
            _finish(child, killed=False)
        elif time.monotonic() >= child.deadline:
            os.kill(child.pid, signal.SIGKILL)
            _finish(child, killed=True)


def _finish(child: Child, killed: bool) -> None:
    from dojo import zoo

    os.close(child.fd)
    os.waitpid(child.pid, 0)
    child.done = True
    duration = time.monotonic() - child.started
    if killed:
        child.outcome = ([_killed_report(child.item, child.limit, duration)], [])
        return
    payload = pickle.loads(b"".join(child.chunks)) if child.chunks else None
    if not payload:
        child.outcome = ([_crashed_report(child.item, duration)], [])
        return
    zoo._PRETRAINED.update(payload["zoo"])
    config = child.item.config
    config._kata_freeze_maps.extend(payload["freeze_maps"])
    reports = [config.hook.pytest_report_from_serializable(config=config, data=d)
               for d in payload["reports"]]
    child.outcome = (reports, payload["results"])


def run_isolated(item, limit_seconds: float) -> tuple[list[TestReport], list[dict]]:
    """One test in a child, waited for: its reports and result entries."""
    child = start(item, limit_seconds)
    while not child.done:
        poll([child], 0.5)
    return child.outcome


def run_many(items, limit_of, workers: int, deliver, should_stop=lambda: False) -> None:
    """Run tests in up to `workers` children at once; `deliver(item, reports, results)` is called
    in the items' order as soon as each one and all before it have finished."""
    threads = max(1, (os.cpu_count() or 1) // workers)
    import gc

    gc.freeze()  # the children then do not copy this process's objects when their gc runs
    pending = list(items)
    running: list[Child] = []
    finished: dict[int, Child] = {}
    next_to_deliver = 0
    while next_to_deliver < len(items):
        while pending and len(running) < workers and not should_stop():
            item = pending.pop(0)
            running.append(start(item, limit_of(item), threads if workers > 1 else None))
        if not running:
            return  # stopped early (e.g. -x): the rest is not run
        poll(running, 0.5)
        for child in [c for c in running if c.done]:
            running.remove(child)
            finished[id(child.item)] = child
        while next_to_deliver < len(items) and id(items[next_to_deliver]) in finished:
            child = finished.pop(id(items[next_to_deliver]))
            deliver(child.item, *child.outcome)
            next_to_deliver += 1


def _report(item, message: str, duration: float) -> TestReport:
    return TestReport(item.nodeid, item.location, {k: 1 for k in item.keywords}, "failed",
                      message, "call", [], duration)


def _killed_report(item, limit: float, duration: float) -> TestReport:
    return _report(item, f"time limit of {limit:g} s exceeded: the test was stopped after "
                         f"{duration:.0f} s (the code kept running past the limit: an endless "
                         f"loop inside a TensorFlow op, or one that swallows the timeout with a "
                         f"bare `except:`?)", duration)


def _crashed_report(item, duration: float) -> TestReport:
    return _report(item, "the test process died without a result (the code crashed the "
                         "interpreter, or called os._exit / sys.exit in a way pytest cannot report)",
                   duration)


def result_entry_for(item, report: TestReport, kata, variant: str) -> dict:
    """The results-file entry for a report the child could not write itself."""
    return {"test": getattr(item, "originalname", item.name), "nodeid": item.nodeid,
            "kata": kata.number, "kata_id": kata.id, "variant": variant, "status": "fail",
            "message": str(report.longrepr), "points": kata.points,
            "duration": round(report.duration, 3)}
