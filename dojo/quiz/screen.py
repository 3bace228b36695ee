"""What a quiz run shows: questions, countdowns, hints, explanations, proofs and the score."""
from __future__ import annotations

import math
import re
import time

from dojo import terminal
from dojo.quiz.answers import EOF, QUIT, TIMEOUT
from dojo.quiz.questions import ALL, LETTERS, PRACTICE_SET, SETS, Question, Quiz, in_set

# rich (Text, markup, tables) is imported where it is used: see dojo/terminal.py.


def make_console(no_color: bool = False):
    # Console itself honours NO_COLOR and drops styles when stdout is not a terminal.
    return terminal.console(no_color=True if no_color else None)


def rich_markup(text: str, plain: bool) -> str:
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

        body = Text.from_markup(rich_markup(text, self.plain), style=style)
        width = max(20, self.console.width - len(first))
        for number, line in enumerate(body.wrap(self.console, width)):
            line.rstrip()
            self.console.print(Text(first if number == 0 else rest) + line, soft_wrap=True)

    def question(self, q: Question, index: int, total: int, topic: str, limit: float) -> None:
        self.say()
        kind = "Challenge" if q.set == PRACTICE_SET else "Question"
        self.say(f"[bold]{kind} {index}/{total}[/bold]  ({rich_markup(topic, self.plain)}, "
                 f"{seconds_text(limit)} per attempt)")
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
        return f"  {label} (A-D) within {seconds_text(limit)}: "

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


def seconds_text(limit: float) -> str:
    return f"{limit:g} s"


def set_label(set_name: str) -> str:
    return "every set" if set_name == ALL else SETS[set_name]


def list_questions(quiz: Quiz, screen: Screen, set_name: str) -> None:
    from rich.table import Table

    every = set_name == ALL
    table = Table(title=f"Quiz questions: {set_label(set_name)}")
    for column in ("#", "id", *(("set",) if every else ()), "topic", "time limit"):
        table.add_column(column, no_wrap=column == "id")
    for q in in_set(quiz, set_name):
        table.add_row(str(q.number), q.id, *((q.set,) if every else ()), q.topic, seconds_text(q.time_limit))
    screen.console.print(table)
