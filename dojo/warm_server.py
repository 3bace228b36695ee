"""The warm runner's server: TensorFlow, Keras, pytest and the test machinery imported once, then
one fork per request, which runs `python -m dojo <argv>` (dojo/cli.py) with the client's cwd and
environment and streams its output back (the client: dojo/warm.py).

Safety with TensorFlow's threads: the server only *imports* TensorFlow; it never runs an op, so it
owns no TensorFlow thread pool when it forks (a forked child gets no threads of its parent, and a
pool created before the fork would deadlock in the child). The zoo's pretrained weights are read
from their file here, so every child inherits them.

The protocol is the client's (warm.py). Started by the client as `python -m dojo.warm_server serve SOCKET`; Linux only (see
warm.available()).
"""
from __future__ import annotations

import contextlib
import gc
import json
import os
import pathlib
import signal
import socket
import sys
import tempfile
import time

from dojo import catalog, cli, progress, zoo
from dojo.warm import PASSED_ENV, ROOT, SENTINEL, STALE, _stats_file, code_digest, socket_path


def preload() -> None:
    """Import everything a kata run needs, without running a single TensorFlow op. (TensorFlow,
    Keras and pytest are imported here rather than at the top, so that importing this module, as
    the import-structure and Windows checks do, stays cheap.)"""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras  # noqa: F401
    import numpy  # noqa: F401
    import pytest  # noqa: F401
    import tensorflow  # noqa: F401

    import dojo.plugin  # noqa: F401 (the kata tests' plugin, with pytest)

    zoo.shipped_weights()  # numpy only: no TensorFlow op


def serve(path: pathlib.Path, idle_seconds: float = 900.0) -> None:
    my_code = code_digest()
    preload()
    # Move everything imported so far out of the collector's reach: a forked child's gc passes
    # would otherwise touch (and so copy) those pages; measured ~0.5 s less per run.
    gc.collect()
    gc.freeze()
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    os.chmod(path, 0o600)
    server.listen(8)
    server.settimeout(idle_seconds)
    _sockets.append(server)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    try:
        while True:
            try:
                conn, _ = server.accept()
            except socket.timeout:
                return  # idle for too long: free the memory
            with conn:
                _sockets.append(conn)
                try:
                    if not _handle(conn, my_code):
                        return  # a newer client: make way for a server with its code
                finally:
                    _sockets.remove(conn)
    finally:
        _speculation.discard()
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _handle(conn: socket.socket, my_code: str) -> bool:
    """Serve one request; False when the client runs other dojo code (this server must go)."""
    conn.settimeout(10)
    raw = b""
    while not raw.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            return True
        raw += chunk
    request = json.loads(raw)
    if request.get("deadline_seconds") == "kata":
        request["deadline_seconds"] = _kata_deadline(request["argv"])
    if request.get("code") != my_code:
        _speculation.discard()
        with contextlib.suppress(OSError):
            conn.sendall(SENTINEL + str(STALE).encode() + b"\n")
        return False
    follows_previous = _speculation.follows(request)
    adopted = _speculation.take(request, follows_previous)
    if adopted is None:
        pid, started, output = _fork_run(request, conn.fileno()), time.monotonic(), None
    else:
        pid, started, output = adopted
    if follows_previous:
        _speculation.start_next(request)
    remaining = request.get("deadline_seconds")
    if remaining is not None:
        remaining -= time.monotonic() - started
    try:
        code = _wait(pid, remaining)
    except BaseException:  # the server is stopping (SIGTERM): its run must not outlive it
        _kill_run(pid)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        raise
    if output is not None:  # a speculative run: its output was kept in a file
        with contextlib.suppress(OSError), open(output, "rb") as kept:
            conn.sendall(kept.read())
        with contextlib.suppress(OSError):
            os.unlink(output)
    if code is None:
        note = (f"\nerror: time limit of {request['deadline_seconds']:g} s exceeded: the run was "
                f"stopped (the code may hang inside a TensorFlow op, where no Python signal reaches)\n")
        with contextlib.suppress(OSError):
            conn.sendall(note.encode())
        code = 124
    with contextlib.suppress(OSError):
        conn.sendall(SENTINEL + str(code).encode() + b"\n")
    return True


_sockets: list[socket.socket] = []  # the server's and the current client's: no child keeps them


def _fork_run(request: dict, out_fd: int) -> int:
    """Fork a child that runs `python -m dojo <argv>` as the request says, writing to out_fd."""
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        os.setpgrp()  # its own process group: ending the run also ends its test workers
        os.dup2(out_fd, 1)
        os.dup2(out_fd, 2)
        # A run started ahead must not hold the current client's connection open: the client
        # reads until it closes, so it would wait for that other run to end too.
        for sock in _sockets:
            with contextlib.suppress(OSError):
                os.close(sock.fileno())
        sys.stdout = open(1, "w", buffering=1, closefd=False)
        sys.stderr = open(2, "w", buffering=1, closefd=False)
        os.chdir(request["cwd"])
        for key in PASSED_ENV:
            os.environ.pop(key, None)
        os.environ.update(request.get("env", {}))
        if request.get("color"):
            os.environ["FORCE_COLOR"] = "1"
        code = cli.main(request["argv"])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException as error:  # report, never leave the client waiting
        print(f"error: the warm runner failed: {type(error).__name__}: {error}")
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(code or 0))


class _Speculation:
    """Grading runs `run 1`, `run 2`, ... one after another, each waiting for the last, and a
    kata's own run rarely keeps both cores busy (most katas have one long test), while each
    step's grader, shell and client start in between. So once two requests came in that order,
    the server also starts the next AHEAD katas' runs beside the current one, their output kept
    in files: both cores stay busy through the gaps between steps. A request gets a run's output
    and exit code only if it is exactly the request predicted (argv, directory, environment,
    code) and the files the run depends on are unchanged since it started; a mismatch discards
    that run (the others ahead stay, each judged when asked for), and a request off the grader's
    path discards them all. Only the command line client (`python -m dojo run N --warm`, the
    grader's command) asks for this: watch mode, where a learner moves on from kata N-1 to kata
    N, does not."""

    # Measured on two cores, all katas' steps against one plain pytest run: 1.28-1.30x with one
    # run ahead (5.0-5.4 core-seconds idle), 1.25-1.27x with two (3.5, as in the plain run).
    AHEAD = 2

    def __init__(self):
        self.previous_argv: list[str] | None = None
        self.running: dict[int, dict] = {}  # kata number -> request, pid, started, output, inputs
        self.hits = 0

    def follows(self, request: dict) -> bool:
        """Whether this request is `run N` right after `run N-1`; remembers it either way."""
        argv, previous = request["argv"], self.previous_argv
        self.previous_argv = list(argv)
        return (request.get("run_ahead") is True and _run_number(argv) is not None
                and previous == ["run", str(_run_number(argv) - 1)])

    def take(self, request: dict, follows: bool):
        """(pid, started, output file) of the run made ahead for this request, or None. Unless
        the request `follows` the grader's order, every other run ahead is discarded."""
        number = _run_number(request["argv"])
        running = self.running.pop(number, None) if number is not None else None
        for other in [n for n in self.running if not follows or n < number]:
            _discard(self.running.pop(other))  # off the grader's path, or gone past
        if running is None:
            return None
        if running["request"] == request and _inputs_digest(request["argv"]) == running["inputs"]:
            self.hits += 1
            return running["pid"], running["started"], running["output"]
        _discard(running)
        return None

    def start_next(self, request: dict) -> None:
        """Make sure the AHEAD katas after this request's are running (or done)."""
        after = _run_number(request["argv"]) + 1
        for number in range(after, min(after + self.AHEAD, len(catalog.load()) + 1)):
            if number in self.running:
                continue
            predicted = {**request, "argv": ["run", str(number)]}
            predicted["deadline_seconds"] = _kata_deadline(predicted["argv"])
            handle, output = tempfile.mkstemp(prefix="dojo-speculative-", suffix=".out")
            inputs = _inputs_digest(predicted["argv"])
            pid = _fork_run(predicted, handle)
            os.close(handle)
            self.running[number] = {"request": predicted, "pid": pid, "started": time.monotonic(),
                                    "output": output, "inputs": inputs}

    def discard(self) -> None:
        running, self.running = self.running, {}
        for entry in running.values():
            _discard(entry)


def _run_number(argv: list[str]) -> int | None:
    """N for `run N` with a number, else None."""
    return int(argv[1]) if len(argv) == 2 and argv[0] == "run" and argv[1].isdigit() else None


def _discard(running: dict) -> None:
    _kill_run(running["pid"])
    with contextlib.suppress(ChildProcessError):
        os.waitpid(running["pid"], 0)
    with contextlib.suppress(OSError):
        os.unlink(running["output"])


def _inputs_digest(argv: list[str]) -> str:
    """What a `run N` depends on besides the dojo code: the kata's files and the catalog."""
    kata = _named_kata(argv)
    if kata is None:
        return ""
    return progress.digest(kata, kata.solution_file, catalog.CATALOG_FILE, ROOT / "conftest.py")


_speculation = _Speculation()


def _kata_deadline(argv: list[str]) -> float | None:
    """The hard deadline of the kata `run N` names (None for an unknown one: the run then
    fails at once with the CLI's one-line error)."""
    kata = _named_kata(argv)
    return kata.hard_deadline if kata is not None else None


def _named_kata(argv: list[str]):
    """The kata that `run N` names, or None."""
    try:
        return catalog.find(argv[1])
    except (IndexError, catalog.CatalogError, LookupError):
        return None


def _wait(pid: int, deadline_seconds: float | None) -> int | None:
    """The child's exit code, or None when it outlived the deadline and was killed."""
    deadline = time.monotonic() + (deadline_seconds or float("inf"))
    while time.monotonic() < deadline:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            _write_stats(usage)
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    _kill_run(pid)
    _, _, usage = os.wait4(pid, 0)
    _write_stats(usage)
    return None


def _kill_run(pid: int) -> None:
    """Kill a run and its test workers (its process group; see _fork_run)."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)



def _write_stats(child_usage) -> None:
    """Peak memory of the last child and of the server itself, for `bench`."""
    import resource  # POSIX only, like this server; here, so the module imports anywhere

    with contextlib.suppress(OSError):
        _stats_file().parent.mkdir(exist_ok=True)
        _stats_file().write_text(json.dumps({
            "child_peak_mb": child_usage.ru_maxrss / 1024,
            "server_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "speculative_hits": _speculation.hits,
        }))



def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        path = pathlib.Path(argv[1]) if len(argv) > 1 else socket_path()
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        path.with_suffix(".pid").write_text(str(os.getpid()))
        try:
            serve(path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                path.with_suffix(".pid").unlink()
        return 0
    print("usage: python -m dojo.warm_server serve [SOCKET]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
