"""Where a run's answers come from: one key in a terminal, one line from a pipe (a reader thread
where select() cannot wait on stdin, as on Windows), or --answers from a script."""
from __future__ import annotations

import contextlib
import os
import queue
import select
import sys
import threading
import time

from dojo.quiz.questions import TIMEOUT_LETTERS

TIMEOUT = "timeout"            # what an attempt returns when time ran out
QUIT = "quit"                  # ... when the person pressed q
EOF = "eof"                    # ... when the input ended


class AnswersRanOut(Exception):
    """--answers had fewer letters than the run needed."""


# --- where answers come from ----------------------------------------------------------------


class ScriptedAnswers:
    """--answers: one letter per attempt; T or - waits until the attempt times out."""

    live_keys = False

    def __init__(self, letters: list[str]):
        self.letters = list(letters)
        self.current: str | None = None

    def start_attempt(self) -> None:
        if not self.letters:
            raise AnswersRanOut()
        self.current = self.letters.pop(0)

    def poll(self, timeout: float | None) -> str | None:
        if self.current in TIMEOUT_LETTERS:
            time.sleep(timeout or 0)
            return None
        letter, self.current = self.current, None
        return letter

    def pause(self) -> str | None:
        return None


class TerminalKeys:
    """A terminal on stdin: single key presses in cbreak mode (POSIX), no Enter needed."""

    live_keys = True

    def __init__(self, fd: int):
        self.fd = fd

    @contextlib.contextmanager
    def active(self):
        import termios
        import tty

        saved = termios.tcgetattr(self.fd)
        try:
            tty.setcbreak(self.fd)
            yield self
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, saved)

    def start_attempt(self) -> None:
        import termios

        termios.tcflush(self.fd, termios.TCIFLUSH)   # keys pressed while a proof ran don't count

    def poll(self, timeout: float | None) -> str | None:

        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        data = os.read(self.fd, 32)
        if not data or data[:1] == b"\x04":            # Ctrl-D
            return EOF
        return data[:1].decode("latin-1")

    def pause(self) -> str | None:
        return self.poll(None)


class LineAnswers:
    """A pipe or file on stdin (POSIX): one answer per line, read with select()."""

    live_keys = False

    def __init__(self, fd: int):
        self.fd = fd
        self.buffer = b""
        self.ended = False

    def start_attempt(self) -> None:
        pass

    def _next_line(self) -> str | None:
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            text = line.decode("utf-8", "replace").strip()
            if text:
                return text[0]
        return None

    def poll(self, timeout: float | None) -> str | None:
        line = self._next_line()
        if line is not None:
            return line
        if self.ended:
            return EOF

        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        data = os.read(self.fd, 4096)
        if not data:
            self.ended = True
            text = self.buffer.decode("utf-8", "replace").strip()
            self.buffer = b""
            return text[0] if text else EOF
        self.buffer += data
        return self._next_line()

    def pause(self) -> str | None:
        return None


class ThreadedLines(LineAnswers):
    """Where select() cannot wait on stdin (Windows): a reader thread feeds a queue."""

    def __init__(self, stream):

        super().__init__(-1)
        self.queue: queue.Queue = queue.Queue()

        def reader():
            for line in stream:
                self.queue.put(line)
            self.queue.put(None)

        threading.Thread(target=reader, daemon=True).start()

    def poll(self, timeout: float | None) -> str | None:

        if self.ended:
            return EOF
        try:
            line = self.queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            self.ended = True
            return EOF
        return line.strip()[:1] or None


def answer_source(letters: list[str] | None):
    if letters is not None:
        return ScriptedAnswers(letters)
    stdin = sys.stdin
    try:
        fd = stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return ThreadedLines(stdin)
    if os.name == "posix":
        try:
            import termios  # noqa: F401

            if os.isatty(fd):
                return TerminalKeys(fd)
        except ImportError:
            pass
        return LineAnswers(fd)
    return ThreadedLines(stdin)
