"""The warm runner's client: ask a warm process (dojo/warm_server.py: TensorFlow, Keras, pytest
and the test machinery imported once, then one fork per run) to run `python -m dojo <argv>`, so a
re-run costs the kata's own work instead of a 3-5 s import every time. Starts the server when none
answers. (Why forking there is safe: see warm_server.py.)

Protocol (a Unix socket, one request per connection): the client sends one JSON line
{"argv": [...], "cwd": "...", "env": {...}, "color": bool}; the child's stdout and stderr stream
back on the same connection, then the server appends a sentinel line carrying the exit code.
"""
from __future__ import annotations

import contextlib
import hashlib
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


def socket_path(checkout: pathlib.Path | None = None) -> pathlib.Path:
    """The warm runner's socket for this checkout (DOJO_WARM_SOCKET overrides it), or, given
    `checkout`, the one its own commands use when DOJO_WARM_SOCKET is not set (a copy that the
    kit's tests or benches grade in)."""
    # Unix socket paths are limited to ~100 bytes: keep it short and per-checkout.
    tag = hashlib.sha1(str((checkout or ROOT).resolve()).encode()).hexdigest()[:10]
    user = os.getuid() if hasattr(os, "getuid") else 0
    default = f"/tmp/dojo-warm-{user}-{tag}.sock"
    return pathlib.Path(default if checkout is not None
                        else os.environ.get("DOJO_WARM_SOCKET", default))



STALE = 75  # exit code of a request refused by a server that runs older dojo code


def code_digest() -> str:
    """Digest of the dojo package: a server whose code differs from the client's is restarted."""
    digest = hashlib.sha256()
    for path in sorted(pathlib.Path(__file__).parent.rglob("*.py")):  # subpackages too
        digest.update(path.read_bytes())
    return digest.hexdigest()



def _stats_file() -> pathlib.Path:
    return ROOT / ".dojo" / "warm-stats.json"



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
        subprocess.Popen([sys.executable, "-m", "dojo.warm_server", "serve", str(path)],
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
