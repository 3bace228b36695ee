"""One quiz run: each question with its timer and two attempts, the hint after a miss, the
explanation and the live proof after the question, the score and the badge; and the `quiz` verb."""
from __future__ import annotations

import contextlib
import dataclasses
import importlib
import os
import random
import sys
import tempfile
import warnings

from dojo.catalog import BADGE, UsageProblem
from dojo.quiz.answers import (EOF, QUIT, TIMEOUT, AnswersRanOut, TerminalKeys, answer_source)
from dojo.quiz.questions import (ATTEMPTS, POINTS, PRACTICE_SET, Question, Quiz, QuizFileError,
                                 load, parse_answers, plan, print_answer_key)
from dojo.quiz.screen import Screen, rich_markup, seconds_text, set_label, list_questions, make_console

PROOFS_MODULE = "dojo.quiz.proofs"

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
                screen.say(f"  [bold red]Time's up[/bold red] after {seconds_text(limit)}: "
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
                       f"{rich_markup(str(error).splitlines()[0] if str(error) else '', True)}")
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
            screen.say("Worth another look: " + "; ".join(rich_markup(t, screen.plain) for t in topics) + ".")
        if finished:
            screen.say(f"The {BADGE} badge needs every question right at the first attempt.")


# --- the quiz verb ----------------------------------------------------------------------------


def cmd_quiz(args) -> int:
    """The `quiz` verb (its options: dojo/cli.py); returns the exit status."""
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
    screen.say(f"[bold]Freezing quiz[/bold], {rich_markup(set_label(args.set_name), screen.plain)}: "
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

