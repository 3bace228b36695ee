"""Watch mode and pair mode: re-run a kata each time its file is saved, in the warm runner.

The loop itself never imports TensorFlow: it polls the kata file's size and mtime, and each run
happens in a fresh fork of the warm server (dojo/warm.py), so a syntax error or an exception in the
learner's file is shown by that run and the loop simply waits for the next save.
"""
from __future__ import annotations

import dataclasses
import re
import select
import subprocess
import sys
import time

from dojo import catalog, terminal, warm
from dojo.catalog import UsageProblem

POLL_SECONDS = 0.05  # two stat() calls: polling this often costs nothing measurable
SETTLE_SECONDS = 0.02  # an editor may write a file in several steps


def _signature(kata: catalog.Kata):
    found = []
    for path in (kata.kata_file, kata.test_file):
        try:
            stat = path.stat()
            found.append((stat.st_mtime_ns, stat.st_size))
        except FileNotFoundError:
            found.append(None)
    return tuple(found)


def _say(text: str) -> None:
    terminal.console().print(text)


def watch(kata: catalog.Kata, max_runs: int | None = None, runner=None, on_tick=None,
          on_result=None) -> int:
    """Run the kata now and after every save, until Ctrl-C (or `max_runs` runs, for tests).

    `on_tick()` is called about every POLL_SECONDS (pair mode uses it for turns), `on_result(code,
    seconds)` after each run.
    """
    if runner is None and not warm.available():
        _say(f"[yellow]Note:[/yellow] {warm.unavailable_reason()}.")
        runner = lambda: subprocess.run([sys.executable, "-m", "dojo", "run", str(kata.number)],  # noqa: E731
                                        cwd=catalog.ROOT).returncode
    runner = runner or (lambda: warm.run(["run", str(kata.number)],
                                         deadline_seconds=kata.hard_deadline))
    runs = 0
    try:
        seen = _signature(kata)
        while True:
            started = time.monotonic()
            code = runner()
            took = time.monotonic() - started
            runs += 1
            _say(f"[dim]({took:.1f} s) Watching {kata.kata_file.relative_to(catalog.ROOT)}: save it "
                 f"to re-run, Ctrl-C to stop.[/dim]")
            if on_result:
                on_result(code, took)
            if max_runs is not None and runs >= max_runs:
                return 0
            while True:
                time.sleep(POLL_SECONDS)
                if on_tick:
                    on_tick()
                now = _signature(kata)
                if now != seen:
                    time.sleep(SETTLE_SECONDS)
                    seen = _signature(kata)
                    _say(f"\n[bold]── saved {time.strftime('%H:%M:%S')}: re-running kata "
                         f"{kata.number} ──[/bold]")
                    break
    except KeyboardInterrupt:
        _say("\nStopped watching.")
        return 0


# --- pair mode ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Person:
    name: str
    email: str

    def trailer(self) -> str:
        return f"Co-authored-by: {self.name} <{self.email}>"


def _git(*args: str) -> str:
    found = subprocess.run(["git", *args], cwd=catalog.ROOT, capture_output=True, text=True)
    return found.stdout.strip() if found.returncode == 0 else ""


def resolve_people(names: str) -> list[Person]:
    """'Ann <ann@x.org>, Bob' -> people; an email missing from --names comes from git config
    (when the name is the configured user) or from this repository's commit authors."""
    people = []
    for part in [p.strip() for p in names.split(",") if p.strip()]:
        match = re.fullmatch(r"(.+?)\s*<([^>]+)>", part)
        if match:
            people.append(Person(match.group(1).strip(), match.group(2).strip()))
            continue
        email = ""
        if _git("config", "user.name") == part:
            email = _git("config", "user.email")
        if not email:
            for line in _git("log", "--format=%an\t%ae").splitlines():
                author, _, address = line.partition("\t")
                if author == part:
                    email = address
                    break
        if not email:
            raise ValueError(f"no email known for {part!r}: write it as \"{part} <email>\" in --names")
        people.append(Person(part, email))
    if len(people) < 2:
        raise ValueError("pair mode needs two people: --names \"Ann <ann@x.org>,Bob <bob@y.org>\"")
    return people


def commit_message(kata: catalog.Kata, people: list[Person]) -> str:
    trailers = "\n".join(p.trailer() for p in people)
    return f"Kata {kata.number} passes: {kata.title}\n\nSolved in pair mode.\n\n{trailers}\n"


def _ask(question: str, timeout: float = 60.0) -> bool:
    """y/N on stdin, without blocking forever (no answer = no)."""
    print(question, end=" ", flush=True)
    if not sys.stdin or sys.stdin.closed:
        return False
    ready, _, _ = select.select([sys.stdin], [], [], timeout)
    if not ready:
        print()
        return False
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def pair(kata: catalog.Kata, people: list[Person], every_minutes: float, commit: str = "ask",
         max_runs: int | None = None, runner=None) -> int:
    """Watch mode with turns: a banner names the next driver every `every_minutes`, and each time
    the kata goes green a commit with Co-authored-by trailers for everyone is offered."""
    turn = {"index": 0, "next_switch": time.monotonic() + every_minutes * 60}
    state = {"green": False}

    def banner():
        driver = people[turn["index"] % len(people)]
        others = ", ".join(p.name for p in people if p is not driver)
        _say(f"\n[bold reverse] Driver: {driver.name} [/] navigator: {others}  "
             f"(turns switch every {every_minutes:g} min)")

    def on_tick():
        if time.monotonic() >= turn["next_switch"]:
            turn["index"] += 1
            turn["next_switch"] = time.monotonic() + every_minutes * 60
            banner()

    def on_result(code, _seconds):
        green = code == 0
        if green and not state["green"]:
            offer_commit()
        state["green"] = green
        on_tick()

    def offer_commit():
        if commit == "no":
            return
        if commit == "ask" and not _ask(f"Kata {kata.number} is green. Commit it with both names? [y/N]"):
            return
        relative = str(kata.kata_file.relative_to(catalog.ROOT))
        _git("add", relative)
        done = subprocess.run(["git", "commit", "-q", "-m", commit_message(kata, people), "--", relative],
                              cwd=catalog.ROOT, capture_output=True, text=True)
        if done.returncode == 0:
            _say(f"Committed: Kata {kata.number} passes, co-authored by "
                 + " and ".join(p.name for p in people))
        else:
            _say(f"[yellow]Not committed: {(done.stdout + done.stderr).strip()}[/yellow]")

    banner()
    return watch(kata, max_runs=max_runs, runner=runner, on_tick=on_tick, on_result=on_result)


def cmd_watch(args) -> int:
    return watch(catalog.named(args.kata), max_runs=args.max_runs)


def cmd_pair(args) -> int:
    kata = catalog.named(args.kata)
    try:
        people = resolve_people(args.names)
    except ValueError as problem:
        raise UsageProblem(str(problem)) from None
    if args.every <= 0:
        raise UsageProblem("--every is a number of minutes above 0")
    return pair(kata, people, args.every, commit=args.commit, max_runs=args.max_runs)
