"""Each kata test in a forked child, with a hard time limit: the plugin's `--isolate` mode.

Why: pytest-timeout's signal cannot stop a hang inside a TensorFlow op (C++ never returns to
Python) nor code that swallows the timeout with a bare `except:`; and a learner can change global
Keras state (mixed precision, floatx, eager mode) that the next kata would inherit. A forked child
per test contains all of that: the parent kills a child that outlives its limit plus a grace
period and reports "time limit exceeded" for that test only, and a child's global changes die with
it. The parent never runs a TensorFlow op (kata tests run before any other test, see plugin), so
forking is safe; zoo weights pretrained in a child are sent back, so later children reuse them.
"""
from __future__ import annotations

import os
import pickle
import signal
import time

from _pytest.reports import TestReport
from _pytest.runner import runtestprotocol

GRACE_SECONDS = 5.0  # pytest-timeout's own signal at the limit gets this long to work first


def run_isolated(item, limit_seconds: float) -> tuple[list[TestReport], list[dict]]:
    """Run one test's setup, call and teardown in a child; its reports and result entries."""
    from dojo import zoo

    known_zoo = set(zoo._PRETRAINED)
    known_results = len(item.config._kata_results)
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        code = 0
        try:
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
                "results": item.config._kata_results[known_results:],
                "zoo": {k: v for k, v in zoo._PRETRAINED.items() if k not in known_zoo},
            }
            with os.fdopen(write_fd, "wb") as out:
                pickle.dump(payload, out)
        except BaseException:  # never let a child continue into the parent's loop
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    data = _read_with_deadline(read_fd, pid, started + limit_seconds + GRACE_SECONDS)
    if data is None:
        return [_killed_report(item, limit_seconds, time.monotonic() - started)], []
    payload = pickle.loads(data) if data else None
    if not payload:
        return [_crashed_report(item, time.monotonic() - started)], []
    zoo._PRETRAINED.update(payload["zoo"])
    reports = [item.config.hook.pytest_report_from_serializable(config=item.config, data=d)
               for d in payload["reports"]]
    return reports, payload["results"]


def _timeout_settings(item):
    """pytest-timeout's settings for this item (marker, ini, command line), as it computes them."""
    import pytest_timeout

    return pytest_timeout._get_item_settings(item)


def _read_with_deadline(fd: int, pid: int, deadline: float) -> bytes | None:
    """All bytes the child writes, or None if it is still running at the deadline (then killed)."""
    import select

    chunks = []
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            ready, _, _ = select.select([fd], [], [], min(remaining, 0.5))
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(fd)
    os.waitpid(pid, 0)
    return b"".join(chunks)


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

