"""A warm process: TensorFlow, Keras, pytest and the test machinery imported once, then one fork
per run, so a re-run costs the kata's own work instead of a 3-5 s import every time.

Safety with TensorFlow's threads: the server only *imports* TensorFlow; it never runs an op, so it
owns no TensorFlow thread pool when it forks (a forked child gets no threads of its parent, and a
pool created before the fork would deadlock in the child). The zoo's pretrained weights are read
from their file here, so every child inherits them.

Protocol (a Unix socket, one request per connection): the client sends one JSON line
{"argv": [...], "cwd": "...", "env": {...}, "color": bool}; the child's stdout and stderr stream
back on the same connection, then the server appends a sentinel line carrying the exit code.
"""
from __future__ import annotations

import contextlib
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

# The client side of this module runs for every grader step: it imports nothing of the kit but
# this file (dojo.catalog alone costs ~17 ms of imports), hence its own ROOT.
ROOT = pathlib.Path(__file__).resolve().parent.parent

SENTINEL = b"\x00dojo-exit:"
PASSED_ENV = ("KATA_IMPL", "DOJO_STATE_DIR", "NO_COLOR", "COLUMNS")


def available() -> bool:
    """The warm runner needs a Unix socket and a fork that is safe after importing TensorFlow:
    Linux. Elsewhere (macOS, Windows) each run is a fresh process (see `unavailable_reason`)."""
    return sys.platform.startswith("linux") and hasattr(socket, "AF_UNIX") and hasattr(os, "fork")


def unavailable_reason() -> str:
    return ("the warm runner (TensorFlow kept imported between runs) needs Linux: a Unix socket "
            "and a fork that is safe after importing TensorFlow; each run here starts a fresh "
            "process, which imports TensorFlow first (a few seconds more per run)")


def socket_path() -> pathlib.Path:
    # Unix socket paths are limited to ~100 bytes: keep it short and per-checkout.
    import hashlib

    tag = hashlib.sha1(str(ROOT).encode()).hexdigest()[:10]
    user = os.getuid() if hasattr(os, "getuid") else 0
    return pathlib.Path(os.environ.get("DOJO_WARM_SOCKET", f"/tmp/dojo-warm-{user}-{tag}.sock"))


# --- server ------------------------------------------------------------------------------------


def preload() -> None:
    """Import everything a kata run needs, without running a single TensorFlow op."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras  # noqa: F401
    import numpy  # noqa: F401
    import pytest  # noqa: F401
    import tensorflow  # noqa: F401

    import dojo.checks  # noqa: F401
    import dojo.cli  # noqa: F401
    import dojo.plugin  # noqa: F401
    import dojo.zoo

    dojo.zoo.shipped_weights()  # numpy only: no TensorFlow op


STALE = 75  # exit code of a request refused by a server that runs older dojo code


def code_digest() -> str:
    """Digest of the dojo package: a server whose code differs from the client's is restarted."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(pathlib.Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def serve(path: pathlib.Path, idle_seconds: float = 900.0) -> None:
    my_code = code_digest()
    preload()
    # Move everything imported so far out of the collector's reach: a forked child's gc passes
    # would otherwise touch (and so copy) those pages; measured ~0.5 s less per run.
    import gc

    gc.collect()
    gc.freeze()
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    os.chmod(path, 0o600)
    server.listen(8)
    server.settimeout(idle_seconds)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    try:
        while True:
            try:
                conn, _ = server.accept()
            except socket.timeout:
                return  # idle for too long: free the memory
            with conn:
                if not _handle(conn, my_code):
                    return  # a newer client: make way for a server with its code
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
    adopted = _speculation.take(request)
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
        sys.stdout = open(1, "w", buffering=1, closefd=False)
        sys.stderr = open(2, "w", buffering=1, closefd=False)
        os.chdir(request["cwd"])
        for key in PASSED_ENV:
            os.environ.pop(key, None)
        os.environ.update(request.get("env", {}))
        if request.get("color"):
            os.environ["FORCE_COLOR"] = "1"
        from dojo import cli

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
    kata's own run rarely keeps both cores busy (most katas have one long test). So once two
    requests came in that order, the server also starts the next kata's run beside the current
    one, its output kept in a file. The next request gets that run's output and exit code only if
    it is exactly the request predicted (argv, directory, environment, code) and the files the
    run depends on are unchanged since it started; anything else discards it. Only the command
    line client (`python -m dojo run N --warm`, the grader's command) asks for this: watch mode,
    where a learner moves on from kata N-1 to kata N, does not."""

    def __init__(self):
        self.previous_argv: list[str] | None = None
        self.running: dict | None = None  # request, pid, started, output, inputs
        self.hits = 0

    def follows(self, request: dict) -> bool:
        """Whether this request is `run N` right after `run N-1`; remembers it either way."""
        argv, previous = request["argv"], self.previous_argv
        self.previous_argv = list(argv)
        return (request.get("run_ahead") is True and len(argv) == 2 and argv[0] == "run"
                and argv[1].isdigit() and previous == ["run", str(int(argv[1]) - 1)])

    def take(self, request: dict):
        """(pid, started, output file) of the speculative run made for this request, or None."""
        running, self.running = self.running, None
        if running is None:
            return None
        if running["request"] == request and _inputs_digest(request["argv"]) == running["inputs"]:
            self.hits += 1
            return running["pid"], running["started"], running["output"]
        _discard(running)
        return None

    def start_next(self, request: dict) -> None:
        import tempfile

        from dojo import catalog

        number = int(request["argv"][1]) + 1
        if number > len(catalog.load()):
            return
        predicted = {**request, "argv": ["run", str(number)]}
        predicted["deadline_seconds"] = _kata_deadline(predicted["argv"])
        handle, output = tempfile.mkstemp(prefix="dojo-speculative-", suffix=".out")
        inputs = _inputs_digest(predicted["argv"])
        pid = _fork_run(predicted, handle)
        os.close(handle)
        self.running = {"request": predicted, "pid": pid, "started": time.monotonic(),
                        "output": output, "inputs": inputs}

    def discard(self) -> None:
        running, self.running = self.running, None
        if running is not None:
            _discard(running)


def _discard(running: dict) -> None:
    _kill_run(running["pid"])
    with contextlib.suppress(ChildProcessError):
        os.waitpid(running["pid"], 0)
    with contextlib.suppress(OSError):
        os.unlink(running["output"])


def _inputs_digest(argv: list[str]) -> str:
    """What a `run N` depends on besides the dojo code: the kata's files and the catalog."""
    from dojo import catalog, progress

    kata = _named_kata(argv)
    if kata is None:
        return ""
    return progress.digest(kata, kata.solution_file, catalog.CATALOG_FILE, ROOT / "conftest.py")


_speculation = _Speculation()


def _kata_deadline(argv: list[str]) -> float | None:
    """The hard deadline of the kata `run N` names (None for an unknown one: the run then
    fails at once with the CLI's one-line error)."""
    from dojo import cli

    kata = _named_kata(argv)
    return cli.hard_deadline(kata) if kata is not None else None


def _named_kata(argv: list[str]):
    """The kata that `run N` names, or None."""
    from dojo import catalog

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


def _stats_file() -> pathlib.Path:
    return ROOT / ".dojo" / "warm-stats.json"


def _write_stats(child_usage) -> None:
    """Peak memory of the last child and of the server itself, for `bench`."""
    import resource

    with contextlib.suppress(OSError):
        _stats_file().parent.mkdir(exist_ok=True)
        _stats_file().write_text(json.dumps({
            "child_peak_mb": child_usage.ru_maxrss / 1024,
            "server_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "speculative_hits": _speculation.hits,
        }))


def _stats() -> dict:
    try:
        return json.loads(_stats_file().read_text())
    except (OSError, ValueError):
        return {}


def last_child_peak_mb() -> float:
    return float(_stats().get("child_peak_mb", float("nan")))


def server_rss_mb() -> float:
    return float(_stats().get("server_mb", float("nan")))


# --- client ------------------------------------------------------------------------------------


def ensure_server(path: pathlib.Path, wait_seconds: float = 180.0) -> None:
    """Start a detached server if none answers on `path`, and wait until it does."""
    if _answers(path):
        return
    log = ROOT / ".dojo" / "warm.log"
    log.parent.mkdir(exist_ok=True)
    with open(log, "ab") as out:
        subprocess.Popen([sys.executable, "-m", "dojo.warm", "serve", str(path)],
                         cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                         start_new_session=True)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if _answers(path):
            return
        time.sleep(0.1)
    raise RuntimeError(f"the warm runner did not start; see {log}")


def _answers(path: pathlib.Path) -> bool:
    if not path.exists():
        return False
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        probe.connect(str(path))
        return True
    return False


def run(argv: list[str], out=None, path: pathlib.Path | None = None,
        deadline_seconds: float | str | None = None, run_ahead: bool = False) -> int:
    """Run `python -m dojo <argv>` in a fresh fork of the warm server; stream its output.

    With deadline_seconds, the server kills the run when it takes longer (exit code 124): a hard
    limit that also stops a hang inside a TensorFlow op. "kata" asks the server for the hard
    deadline of the kata that `run N` names. run_ahead lets the server run the next kata early
    when requests come in the grader's order (see _Speculation); watch mode does not ask for it.
    """
    path = path or socket_path()
    out = out or sys.stdout.buffer
    request = {"argv": argv, "cwd": str(pathlib.Path.cwd()), "code": code_digest(),
               "env": {k: os.environ[k] for k in PASSED_ENV if k in os.environ},
               "color": sys.stdout.isatty(), "deadline_seconds": deadline_seconds,
               "run_ahead": run_ahead}
    for _ in range(3):
        ensure_server(path)
        code = _request(path, request, out)
        if code != STALE:
            return code
        _wait_gone(path)
    return code


def client_main(argv: list[str]) -> int:
    """`python -m dojo run N --warm ...` without importing the CLI: the grader runs this once per
    kata, so it starts in ~30 ms instead of ~80. The server applies the kata's hard deadline."""
    argv = [a for a in argv if a != "--warm"]
    try:
        return run(argv, deadline_seconds="kata", run_ahead=True)
    except KeyboardInterrupt:
        return 130
    except (OSError, RuntimeError) as problem:
        print(f"error: the warm runner is not available: {problem}", file=sys.stderr)
        return 2


def _wait_gone(path: pathlib.Path, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def _request(path: pathlib.Path, request: dict, out) -> int:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(path))
        conn.sendall(json.dumps(request).encode() + b"\n")
        tail = b""
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            tail += chunk
            # hold back what could be the start of the sentinel; write the rest now
            cut = tail.rfind(SENTINEL)
            keep = tail[cut:] if cut >= 0 else tail[-len(SENTINEL):]
            out.write(tail[: len(tail) - len(keep)])
            out.flush()
            tail = keep
    if tail.startswith(SENTINEL):
        return int(tail[len(SENTINEL):].strip() or 1)
    out.write(tail)
    out.flush()
    return 1  # the server went away mid-run


def stop(path: pathlib.Path | None = None) -> None:
    """Ask a running server to exit (used by tests and `make clean`)."""
    path = path or socket_path()
    if not _answers(path):
        return
    # The server writes its pid beside the socket; SIGTERM makes it exit cleanly.
    pid_file = path.with_suffix(".pid")
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(pid_file.read_text()), signal.SIGTERM)


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
    print("usage: python -m dojo.warm serve [SOCKET]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
