"""A timed practice quiz on freezing layers, where a live experiment proves every answer.

    python -m dojo.quiz [--set warm-up | practice | all] [--seed N] [--questions 1,4,7 | 5]
                        [--time-limit S] [--answers B,C,T,...] [--answer-key] [--no-proof]
                        [--no-color] [--list]

The questions are data (dojo/quiz.toml); each names a proof function of dojo/quiz_proofs.py, a
small experiment run on the installed TensorFlow/Keras after the question. TensorFlow is imported
only when the first proof runs, so the quiz starts at once.

Sets: `warm-up` (the default) asks the quiz's own questions in a shuffled order; `practice` asks
the five challenges of the practice set "Freezing and unfreezing layers in TensorFlow", in that
set's order; `all` asks both, shuffled together.

Rules:

* Choices A-D, two attempts per question. Each attempt has the question's time limit (or
  --time-limit), counted down on screen. Running out of time counts as a wrong attempt: the hint
  follows and the second attempt gets a full time limit again.
* After the first wrong attempt the hint is shown; after the question, the explanation and the
  proof (skipped with --no-proof).
* Score: 2 points for a right first attempt, 1 for a right second attempt. The "Freezing Master"
  badge goes to a completed run (any number of questions) with every question right at the
  first attempt, i.e. full points.
* Order: shuffled (the practice set keeps its own order), and so are each question's choices:
  in every run each letter is the right one for about a quarter of the questions. --seed N fixes
  both; every run prints the seed it used, to replay it. --questions takes a count (the first N of
  that order) or a comma list of question numbers or ids of the set, asked in the order given:
  `--questions 5` asks five questions, `--questions 5,` or `--questions <id>` asks question 5
  only. --list shows the numbers and ids.
* --seed N --answer-key prints, for instructors and scripts, one line per question of that run:
  its id and the letter that is right in that run. A normal run never shows a question's answer
  before it has been answered.
* In a terminal, one key answers (A-D), q stops. With input from a pipe, one answer per line.
* --answers B,C,T,... answers without reading input (scripts, tests): each letter is one
  attempt, used in order, so after a wrong first letter the next letter is that question's
  second attempt. T (or -) lets that attempt run out of time: it really waits, so combine it with
  a short --time-limit.
* Ctrl-C stops at once and prints the score so far.

Exit status: 0 the run was completed (whatever the score), 1 stopped early (q or end of input),
2 a usage error, a broken quiz file, or --answers ran out, 130 interrupted with Ctrl-C.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import importlib
import math
import os
import pathlib
import random
import re
import sys
import tempfile
import time
import tomllib
import warnings

QUIZ_FILE = pathlib.Path(__file__).resolve().parent / "quiz.toml"
PROOFS_FILE = pathlib.Path(__file__).resolve().parent / "quiz_proofs.py"
PROOFS_MODULE = "dojo.quiz_proofs"
LETTERS = "ABCD"
TIMEOUT_LETTERS = ("T", "-")
ATTEMPTS = 2
POINTS = {1: 2, 2: 1}          # attempt that got it right -> points
BADGE = "Freezing Master"
MIN_QUESTIONS = 12

TIMEOUT = "timeout"            # what an attempt returns when time ran out
QUIT = "quit"                  # ... when the person pressed q
EOF = "eof"                    # ... when the input ended


class QuizFileError(ValueError):
    """quiz.toml is malformed: a contributor's mistake."""


class UsageProblem(Exception):
    """Something on the command line; the message says what to do instead."""


class AnswersRanOut(Exception):
    """--answers had fewer letters than the run needed."""


# --- the questions --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Question:
    number: int
    id: str
    topic: str
    time_limit: float
    text: str
    choices: tuple[str, ...]
    answer: str
    hint: str
    explanation: str
    proof: str
    set: str = "warm-up"
    code: str = ""


@dataclasses.dataclass(frozen=True)
class Quiz:
    topics: dict[str, str]
    questions: tuple[Question, ...]

    def find(self, ref: str) -> Question:
        ref = ref.strip()
        for q in self.questions:
            if ref == str(q.number) or ref == q.id:
                return q
        raise UsageProblem(f"there is no question {ref!r}: use a number from 1 to "
                           f"{len(self.questions)} or an id (python -m dojo.quiz --list)")


_FIELDS = {"id": str, "topic": str, "time_limit": (int, float), "text": str, "choices": list,
           "answer": str, "hint": str, "explanation": str, "proof": str}
_OPTIONAL = {"set": str, "code": str}
SETS = {"warm-up": "the warm-up quiz", "practice": 'the practice set "Freezing and unfreezing layers '
                                                 'in TensorFlow"'}
ALL = "all"                    # --set all: every question of every set
PRACTICE_SET = "practice"      # asked in file order, not shuffled


def load(path: pathlib.Path = QUIZ_FILE) -> Quiz:
    """Read and validate the quiz file. Raises QuizFileError naming the first problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise QuizFileError(f"cannot read {path.name}: {error}") from None
    topics = data.get("topics")
    if not isinstance(topics, dict) or not topics or not all(isinstance(v, str) for v in topics.values()):
        raise QuizFileError("[topics] must map each topic key to a label")
    entries = data.get("question")
    if not isinstance(entries, list):
        raise QuizFileError("no [[question]] entries")
    known_proofs = proof_names()
    questions, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"question {number} ({entry.get('id', '?')})"
        for field, kind in _FIELDS.items():
            if not isinstance(entry.get(field), kind) or isinstance(entry.get(field), bool):
                raise QuizFileError(f"{where}: field {field!r} is missing or not a {_name(kind)}")
        for field, kind in _OPTIONAL.items():
            if field in entry and not isinstance(entry[field], kind):
                raise QuizFileError(f"{where}: field {field!r} is not a {_name(kind)}")
        if entry.get("set", "warm-up") not in SETS:
            raise QuizFileError(f"{where}: set must be one of {', '.join(SETS)}")
        extra = set(entry) - set(_FIELDS) - set(_OPTIONAL)
        if extra:
            raise QuizFileError(f"{where}: unknown field(s) {sorted(extra)}")
        if entry["id"] in seen:
            raise QuizFileError(f"{where}: the id {entry['id']!r} is used twice")
        seen.add(entry["id"])
        if entry["topic"] not in topics:
            raise QuizFileError(f"{where}: topic {entry['topic']!r} is not in [topics]")
        choices = entry["choices"]
        if len(choices) != len(LETTERS) or not all(isinstance(c, str) and c.strip() for c in choices):
            raise QuizFileError(f"{where}: needs exactly {len(LETTERS)} non-empty choices")
        if entry["answer"] not in LETTERS:
            raise QuizFileError(f"{where}: answer must be one of {', '.join(LETTERS)}")
        if entry["proof"] not in known_proofs:
            raise QuizFileError(f"{where}: no proof function {entry['proof']!r} in {PROOFS_FILE.name}")
        if entry["time_limit"] <= 0:
            raise QuizFileError(f"{where}: time_limit must be positive")
        for field in ("text", "hint", "explanation"):
            if not entry[field].strip():
                raise QuizFileError(f"{where}: {field} is empty")
        questions.append(Question(number=number, id=entry["id"], topic=entry["topic"],
                                  time_limit=float(entry["time_limit"]), text=entry["text"].strip(),
                                  choices=tuple(c.strip() for c in choices), answer=entry["answer"],
                                  hint=entry["hint"].strip(), explanation=entry["explanation"].strip(),
                                  proof=entry["proof"], set=entry.get("set", "warm-up"),
                                  code=entry.get("code", "").strip("\n")))
    if len(questions) < MIN_QUESTIONS:
        raise QuizFileError(f"only {len(questions)} questions; the quiz needs at least {MIN_QUESTIONS}")
    empty = [name for name in SETS if not any(q.set == name for q in questions)]
    if empty:
        raise QuizFileError(f"no question in set(s) {empty}")
    uncovered = [key for key in topics if not any(q.topic == key for q in questions)]
    if uncovered:
        raise QuizFileError(f"no question on topic(s) {uncovered}")
    return Quiz(topics=dict(topics), questions=tuple(questions))


def _name(kind) -> str:
    return " or ".join(k.__name__ for k in kind) if isinstance(kind, tuple) else kind.__name__


def proof_names(path: pathlib.Path = PROOFS_FILE) -> set[str]:
    """Names of the @proof functions, read from the source: no TensorFlow import needed."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body
            if isinstance(node, ast.FunctionDef)
            and any(isinstance(d, ast.Name) and d.id == "proof" for d in node.decorator_list)}


def plan(quiz: Quiz, spec: str = "all", seed: int | None = None,
         set_name: str = "warm-up") -> list[Question]:
    """The questions of one run, in order, with their choices shuffled for that run.

    `spec`: 'all', a count, or a comma list of refs. Order and letters depend on `seed` and
    `set_name` only, so a count asks a prefix of the full run, with the same letters.
    """
    spec = (spec or "all").strip()
    ordered = _ordered(quiz, seed, set_name)
    if spec == "all":
        return ordered
    if spec.isdigit():
        count = int(spec)
        if not 1 <= count <= len(ordered):
            raise UsageProblem(f"--questions {spec}: give a count from 1 to {len(ordered)}")
        return ordered[:count]
    refs = [r for r in spec.split(",") if r.strip()]
    if not refs:
        raise UsageProblem("--questions: give a count, e.g. 5, or numbers such as 1,4,7")
    by_number = {q.number: q for q in ordered}
    chosen = []
    for ref in refs:
        q = quiz.find(ref)
        if q.number not in by_number:
            raise UsageProblem(f"question {ref.strip()!r} is in the {q.set} set: add --set {q.set}")
        chosen.append(by_number[q.number])
    if len({q.number for q in chosen}) != len(chosen):
        raise UsageProblem(f"--questions {spec}: a question is listed twice")
    return chosen


def in_set(quiz: Quiz, set_name: str) -> list[Question]:
    """The questions of a set, in file order."""
    if set_name != ALL and set_name not in SETS:
        raise UsageProblem(f"there is no set {set_name!r}: use {', '.join([*SETS, ALL])}")
    return [q for q in quiz.questions if set_name == ALL or q.set == set_name]


def _ordered(quiz: Quiz, seed: int | None, set_name: str) -> list[Question]:
    """The set's questions in the order of this run, each with its choices shuffled."""
    questions = in_set(quiz, set_name)
    if set_name != PRACTICE_SET:
        random.Random(seed).shuffle(questions)
    rng = random.Random(None if seed is None else f"{seed}/{set_name}/choices")
    letters = keyed_letters(len(questions), rng)
    return [shuffle_choices(q, letter, rng) for q, letter in zip(questions, letters)]


def keyed_letters(count: int, rng: random.Random) -> list[str]:
    """The right letter of each of `count` questions: each letter floor(count/4) or ceil(count/4)
    times, so that no letter is a safe guess; which letters get the extra ones is random too."""
    letters = list(LETTERS) * (count // len(LETTERS)) + rng.sample(LETTERS, count % len(LETTERS))
    rng.shuffle(letters)
    return letters


def shuffle_choices(q: Question, letter: str, rng: random.Random) -> Question:
    """`q` with its right choice under `letter` and the other choices in a random order."""
    index = LETTERS.index(q.answer)
    right = q.choices[index]
    others = [choice for number, choice in enumerate(q.choices) if number != index]
    rng.shuffle(others)
    at = LETTERS.index(letter)
    return dataclasses.replace(q, choices=tuple(others[:at] + [right] + others[at:]), answer=letter)


def parse_answers(text: str) -> list[str]:
    letters = [c for c in text.upper() if c not in ", "]
    bad = sorted({c for c in letters if c not in LETTERS and c not in TIMEOUT_LETTERS})
    if bad:
        raise UsageProblem(f"--answers: {', '.join(bad)} is not an answer: use A-D, or T (or -) to "
                           f"let an attempt time out, e.g. --answers B,C,T,A")
    if not letters:
        raise UsageProblem("--answers: give at least one letter, e.g. --answers B,C,A")
    return letters


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
        import select

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
        import select

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
        import queue
        import threading

        super().__init__(-1)
        self.queue: queue.Queue = queue.Queue()

        def reader():
            for line in stream:
                self.queue.put(line)
            self.queue.put(None)

        threading.Thread(target=reader, daemon=True).start()

    def poll(self, timeout: float | None) -> str | None:
        import queue

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


# --- the screen -----------------------------------------------------------------------------


def make_console(no_color: bool = False):
    from rich.console import Console

    # Console itself honours NO_COLOR and drops styles when stdout is not a terminal.
    return Console(highlight=False, no_color=True if no_color else None)


def _markup(text: str, plain: bool) -> str:
    """Escape rich markup in quiz text; show `code` in cyan (or keep the backticks when plain)."""
    from rich.markup import escape

    escaped = escape(text)
    if plain:
        return escaped
    return re.sub(r"`([^`]+)`", r"[cyan]\1[/cyan]", escaped)


def _reflow(text: str) -> list[str]:
    """Paragraphs of a TOML text: single line breaks join lines, blank lines separate paragraphs."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


class Screen:
    """Everything the quiz prints, on a rich Console; a live countdown only on a terminal."""

    def __init__(self, console):
        self.console = console
        self.plain = console.color_system is None or console.no_color   # keep `backticks` visible
        self.live = console.is_terminal

    def say(self, markup: str = "", **kwargs) -> None:
        self.console.print(markup, **kwargs)

    def text(self, text: str, indent: int = 0, style: str = "") -> None:
        for number, paragraph in enumerate(_reflow(text)):
            if number:
                self.console.print()
            self._wrapped(paragraph, " " * indent, " " * indent, style)

    def _wrapped(self, text: str, first: str, rest: str, style: str = "") -> None:
        """Word-wrap one paragraph to the console width, with prefixes and no trailing spaces."""
        from rich.text import Text

        body = Text.from_markup(_markup(text, self.plain), style=style)
        width = max(20, self.console.width - len(first))
        for number, line in enumerate(body.wrap(self.console, width)):
            line.rstrip()
            self.console.print(Text(first if number == 0 else rest) + line, soft_wrap=True)

    def question(self, q: Question, index: int, total: int, topic: str, limit: float) -> None:
        self.say()
        kind = "Challenge" if q.set == PRACTICE_SET else "Question"
        self.say(f"[bold]{kind} {index}/{total}[/bold]  ({_markup(topic, self.plain)}, "
                 f"{_seconds(limit)} per attempt)")
        self.text(q.text)
        if q.code:
            self.code(q.code)
        for letter, choice in zip(LETTERS, q.choices):
            self._wrapped(" ".join(choice.split()), f"  {letter}. ", "     ")

    def code(self, code: str) -> None:
        """A question's code, verbatim and indented (highlighted when colours are on)."""
        from rich.syntax import Syntax
        from rich.text import Text

        self.say()
        body = Text(code) if self.plain else Syntax(code, "python", theme="ansi_dark").highlight(code)
        for line in body.split("\n"):
            line.rstrip()
            self.console.print(Text("    ") + line if line.plain else Text(), soft_wrap=True)
        self.say()

    # -- the prompt with its countdown --

    def _prompt(self, label: str, left: float, limit: float) -> str:
        if self.live:
            return f"  {label} (A-D, q to quit) [{math.ceil(left):>3} s left]: "
        return f"  {label} (A-D) within {_seconds(limit)}: "

    def ask(self, source, label: str, limit: float) -> str:
        """One attempt: a letter A-D, TIMEOUT, QUIT or EOF."""
        source.start_attempt()
        deadline = time.monotonic() + limit
        shown = None
        if not self.live:
            self._write(self._prompt(label, limit, limit))
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self._end_line("")
                return TIMEOUT
            wait = left
            if self.live:
                if math.ceil(left) != shown:
                    shown = math.ceil(left)
                    self._write("\r" + self._prompt(label, left, limit), "bold red" if left <= 10 else "")
                fraction = left - math.floor(left)       # wake up when the shown second changes
                wait = min(left, fraction if fraction > 0.005 else 1.0)
            key = source.poll(max(wait, 0.005))
            if key is None:
                continue
            if key == EOF:
                self._end_line("")
                return EOF
            key = key.upper()
            if key in LETTERS:
                self._end_line(key)
                return key
            if key == "Q":
                self._end_line("q")
                return QUIT

    def _write(self, text: str, style: str = "") -> None:
        from rich.text import Text

        if text.startswith("\r"):
            self.console.file.write("\r")
            text = text[1:]
        self.console.print(Text(text, style=style), end="", soft_wrap=True)
        self.console.file.flush()

    def _end_line(self, typed: str) -> None:
        self.console.print(typed, markup=False, highlight=False)

    def pause(self, source) -> str | None:
        """Between questions on a terminal: wait for a key, so the proof can be read."""
        if not source.live_keys:
            return None
        source.start_attempt()        # drop keys pressed while the proof ran, before the prompt
        self._write("  Press a key for the next question (q to quit) ", "dim")
        key = source.pause()
        self._end_line("")
        return QUIT if key in ("q", "Q", EOF) else None


def _seconds(limit: float) -> str:
    return f"{limit:g} s"


# --- proofs ---------------------------------------------------------------------------------


class ProofRunner:
    """Imports the proofs (and TensorFlow) on first use, quietly, and runs one proof per call."""

    def __init__(self):
        self.module = None
        self.versions = ""

    def run(self, name: str):
        if self.module is None:
            with _quiet_stderr():
                self.module = importlib.import_module(PROOFS_MODULE)
                self.versions = self.module.versions()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with _quiet_stderr():
                return self.module.PROOFS[name]()


@contextlib.contextmanager
def _quiet_stderr():
    """Hide TensorFlow's C++ start-up lines (they write to fd 2); show them if something fails."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), fd)
        try:
            yield
        except Exception:
            os.dup2(saved, fd)
            sink.seek(0)
            captured = sink.read().decode("utf-8", "replace").strip()
            if captured:
                print(captured, file=sys.stderr)
            raise
        finally:
            os.dup2(saved, fd)
            os.close(saved)


# --- one run --------------------------------------------------------------------------------


@dataclasses.dataclass
class Result:
    question: Question
    right_at: int | None          # 1 or 2: the attempt that was right; None: not answered right
    timeouts: int = 0

    @property
    def points(self) -> int:
        return POINTS.get(self.right_at, 0)


@dataclasses.dataclass
class Run:
    quiz: Quiz
    questions: list[Question]
    screen: Screen
    source: object
    limit_override: float | None = None
    proofs: bool = True
    results: list[Result] = dataclasses.field(default_factory=list)
    runner: ProofRunner = dataclasses.field(default_factory=ProofRunner)

    def limit(self, q: Question) -> float:
        return self.limit_override or q.time_limit

    def play(self) -> str:
        """Ask every question; 'done', QUIT or EOF."""
        for index, q in enumerate(self.questions, start=1):
            outcome = self.ask(q, index)
            if outcome in (QUIT, EOF):
                return outcome
            if index < len(self.questions) and self.screen.pause(self.source) == QUIT:
                return QUIT
        return "done"

    def ask(self, q: Question, index: int) -> str | None:
        screen = self.screen
        limit = self.limit(q)
        screen.question(q, index, len(self.questions), self.quiz.topics[q.topic], limit)
        result = Result(q, None)
        for attempt in range(1, ATTEMPTS + 1):
            label = "Your answer" if attempt == 1 else "Second attempt"
            answer = screen.ask(self.source, label, limit)
            if answer in (QUIT, EOF):
                return answer
            if answer == q.answer:
                result.right_at = attempt
                points = POINTS[attempt]
                screen.say(f"  [bold green]Right[/bold green]"
                           f"{' at the second attempt' if attempt > 1 else ''}: "
                           f"{points} point{'s' if points != 1 else ''}.")
                break
            if answer == TIMEOUT:
                result.timeouts += 1
                screen.say(f"  [bold red]Time's up[/bold red] after {_seconds(limit)}: "
                           f"that counts as a miss.")
            else:
                screen.say(f"  [red]Not {answer}.[/red]")
            if attempt < ATTEMPTS:
                screen.say("  [bold yellow]Hint:[/bold yellow]")
                screen.text(q.hint, indent=4)
            else:
                screen.say(f"  The answer is [bold]{q.answer}[/bold].")
        self.results.append(result)
        screen.say("  [bold]Why[/bold]")
        screen.text(q.explanation, indent=4)
        if self.proofs:
            self.prove(q)
        return None

    def prove(self, q: Question) -> None:
        screen = self.screen
        first = self.runner.module is None
        screen.say("  [bold]Proof[/bold]: running the experiment..."
                   + (" (importing TensorFlow first: a few seconds)" if first else ""))
        try:
            result = self.runner.run(q.proof)
        except Exception as error:  # noqa: BLE001: a broken proof must not end the quiz
            screen.say(f"  [red]The experiment failed[/red]: {type(error).__name__}: "
                       f"{_markup(str(error).splitlines()[0] if str(error) else '', True)}")
            return
        took = f"{result.seconds:.1f} s" if result.seconds >= 0.05 else "under 0.1 s"
        screen.say(f"  [dim]on {self.runner.versions}, {took}[/dim]")
        screen.console.print(result.text(), markup=False, highlight=False, soft_wrap=True)
        if result.supports_answer:
            screen.say(f"  [green]The numbers support answer {q.answer}.[/green]")
        else:
            screen.say(f"  [bold red]These numbers do NOT support answer {q.answer}: this Keras behaves "
                       f"differently from the one the quiz was checked on. Please report it.[/bold red]")

    # -- the score --

    def score(self) -> tuple[int, int]:
        return sum(r.points for r in self.results), POINTS[1] * len(self.results)

    def perfect(self) -> bool:
        return len(self.results) == len(self.questions) and all(r.right_at == 1 for r in self.results)

    def summary(self, finished: bool) -> None:
        screen = self.screen
        points, most = self.score()
        right = sum(1 for r in self.results if r.right_at)
        first = sum(1 for r in self.results if r.right_at == 1)
        asked = len(self.results)
        heading = "Score" if finished else "Score so far"
        to_go = "" if finished else f"; {len(self.questions) - asked} of {len(self.questions)} still to go"
        screen.say()
        screen.say(f"[bold]{heading}: {points}/{most} points[/bold] ({right} of {asked} "
                   f"question{'s' if asked != 1 else ''} right, {first} at the first attempt{to_go}).")
        if finished and self.perfect():
            screen.say(f"[bold yellow]*** Badge: {BADGE} ***[/bold yellow] Every question right at "
                       f"the first attempt.")
            return
        missed = [r for r in self.results if r.right_at != 1]
        if missed:
            topics = []
            for r in missed:
                label = self.quiz.topics[r.question.topic]
                if label not in topics:
                    topics.append(label)
            screen.say("Worth another look: " + "; ".join(_markup(t, screen.plain) for t in topics) + ".")
        if finished:
            screen.say(f"The {BADGE} badge needs every question right at the first attempt.")


# --- command line ---------------------------------------------------------------------------


def parser(prog: str = "python -m dojo.quiz") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=prog,
        description="A timed quiz on freezing layers in Keras: two attempts per question, a hint "
                    "after a miss, and a live experiment that proves each answer.",
        epilog="Exit status: 0 completed, 1 stopped early, 2 usage error, 130 Ctrl-C.")
    p.add_argument("--set", default="warm-up", choices=[*SETS, ALL], dest="set_name",
                   help="warm-up (default): the quiz's own questions; practice: the five challenges "
                        "of the practice set, in its order; all: both")
    p.add_argument("--seed", type=int, help="fixed question order and choice order (each run prints "
                                            "the seed it used)")
    p.add_argument("--questions", default="all", metavar="SPEC",
                   help="'all' (default), a count such as 5, or question numbers/ids such as 1,4,7 "
                        "(one question: 4, with a trailing comma)")
    p.add_argument("--time-limit", type=float, metavar="SECONDS",
                   help="one time limit per attempt for every question, instead of each question's own")
    p.add_argument("--answers", metavar="LETTERS",
                   help="answer without reading input: one letter per attempt, e.g. B,C,T,A "
                        "(after a wrong letter the next one is that question's second attempt; "
                        "T or - lets the attempt time out)")
    p.add_argument("--answer-key", action="store_true",
                   help="with --seed: print each question's id and its right letter in that run, "
                        "in the order it asks them, and exit (instructors, scripts)")
    p.add_argument("--no-proof", action="store_true", help="skip the experiments (no TensorFlow)")
    p.add_argument("--no-color", action="store_true", help="no colours (NO_COLOR=1 does the same)")
    p.add_argument("--list", action="store_true", help="list the questions and exit")
    return p


def list_questions(quiz: Quiz, screen: Screen, set_name: str) -> None:
    from rich.table import Table

    every = set_name == ALL
    table = Table(title=f"Quiz questions: {_set_label(set_name)}")
    for column in ("#", "id", *(("set",) if every else ()), "topic", "time limit"):
        table.add_column(column, no_wrap=column == "id")
    for q in in_set(quiz, set_name):
        table.add_row(str(q.number), q.id, *((q.set,) if every else ()), q.topic, _seconds(q.time_limit))
    screen.console.print(table)


def print_answer_key(questions: list[Question]) -> None:
    """One 'id letter' line per question, in the order of the run: plain text for scripts."""
    for q in questions:
        print(f"{q.id} {q.answer}")


def _set_label(set_name: str) -> str:
    return "every set" if set_name == ALL else SETS[set_name]


def main(argv: list[str] | None = None, prog: str = "python -m dojo.quiz") -> int:
    """Run the quiz; returns the exit status. `prog` names the command in --help and errors."""
    try:
        args = parser(prog).parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    screen = Screen(make_console(args.no_color))
    try:
        quiz = load()
        if args.list:
            list_questions(quiz, screen, args.set_name)
            return 0
        if args.time_limit is not None and not args.time_limit > 0:
            raise UsageProblem("--time-limit must be a positive number of seconds")
        if args.answer_key and args.seed is None:
            raise UsageProblem("--answer-key needs --seed S: the letters are shuffled per run")
        seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10_000)
        questions = plan(quiz, args.questions, seed, args.set_name)
        if args.answer_key:
            print_answer_key(questions)
            return 0
        letters = parse_answers(args.answers) if args.answers is not None else None
    except UsageProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    except QuizFileError as problem:
        print(f"error: the quiz file is broken: {problem}", file=sys.stderr)
        return 2
    source = answer_source(letters)
    run = Run(quiz, questions, screen, source, args.time_limit, proofs=not args.no_proof)
    noun = "challenge" if args.set_name == PRACTICE_SET else "question"
    screen.say(f"[bold]Freezing quiz[/bold], {_markup(_set_label(args.set_name), screen.plain)}: "
               f"{len(questions)} {noun}{'s' if len(questions) != 1 else ''}, two attempts each; "
               f"{POINTS[1]} points at the first attempt, {POINTS[2]} at the second.")
    screen.say(f"Seed: {seed} (--seed {seed} replays this run: its order and its choices).")
    if isinstance(source, TerminalKeys):
        screen.say("Press A, B, C or D to answer; q stops; Ctrl-C stops at once.")
    context = source.active() if isinstance(source, TerminalKeys) else contextlib.nullcontext()
    try:
        with context:
            outcome = run.play()
    except KeyboardInterrupt:
        screen.say()
        screen.say("[bold]Interrupted.[/bold]")
        run.summary(finished=False)
        return 130
    except AnswersRanOut:
        run.summary(finished=False)
        print(f"error: --answers ran out at question {len(run.results) + 1} of {len(questions)}: "
              f"give one letter per attempt (a wrong letter uses one of a question's two attempts)",
              file=sys.stderr)
        return 2
    if outcome == "done":
        run.summary(finished=True)
        return 0
    screen.say("[bold]Stopped.[/bold]" if outcome == QUIT else "[bold]Input ended.[/bold]")
    run.summary(finished=False)
    return 1


if __name__ == "__main__":
    sys.exit(main())
