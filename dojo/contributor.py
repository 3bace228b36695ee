"""The contributor's verbs: the kit's self-check as tables (`verify`), and the generated files kept
in step with their sources: the README's kata table (`readme`), the pristine stubs' ids (`stubs`),
the zoo's pretrained weights (`zoo`)."""
from __future__ import annotations

import sys

from dojo import catalog, docs, progress, terminal, verify

# rich's table is imported where it is used (see dojo/terminal.py).


def cmd_verify(args) -> int:
    from rich.table import Table

    katas = [catalog.named(args.kata)] if args.kata else catalog.load()
    check = verify.run_variants(args.kinds, katas)
    table = Table(title="Kit self-check: solution passes, stub fails, every wrong answer rejected")
    for column in ("kata", "variant", "expected", "passed", "failed", "verdict", "first failure"):
        table.add_column(column, overflow="fold")
    for v in check.variants:
        table.add_row(str(v.kata.number), v.variant, "pass" if v.expected_to_pass else "fail",
                      str(v.passed), str(v.failed), "ok" if v.ok else "WRONG", v.first_failure[:90])
    console = terminal.console()
    console.print(table)
    bad = [v for v in check.variants if not v.ok]
    if not check.variants or bad:
        console.print(f"[red]{len(bad)} variant(s) misjudged.[/red] pytest said:\n"
                      f"{check.process.stdout[-3000:]}")
    untraced = {k.number: verify.tracing_problems(k) for k in katas}
    if check.requirements or any(untraced.values()):
        table = Table(title="Every requirement of a statement: its test rejects a wrong answer "
                            "that breaks only it")
        for column in ("kata", "requirement", "test", "wrong answers rejected by it", "verdict"):
            table.add_column(column, overflow="fold")
        for r in check.requirements:
            rejected = ", ".join(r.rejected) or "-"
            slipped = f" (not: {', '.join(r.slipped)})" if r.slipped else ""
            table.add_row(str(r.requirement.kata.number), r.requirement.text, r.requirement.test,
                          rejected + slipped, "ok" if r.ok else "WRONG")
        console.print(table)
    problems = [f"kata {n}: {p}" for n, ps in untraced.items() for p in ps]
    problems += [f"kata {r.requirement.kata.number}: requirement {r.requirement.text!r}: "
                 f"{', '.join(r.slipped)} passed {r.requirement.test}" for r in check.requirements
                 if not r.ok]
    for problem in problems:
        console.print(f"[red]{problem}[/red]")
    if not check.variants or bad or problems:
        return 1
    console.print(f"All {len(check.variants)} variants judged as expected"
                  + (f"; all {len(check.requirements)} requirements traced." if check.requirements
                     else "."))
    return 0


def cmd_readme(args) -> int:
    text = docs.README.read_text()
    updated = docs.with_table(text)
    if args.check:
        if updated != text:
            print("README.md's kata table is out of date: run `python -m dojo readme`", file=sys.stderr)
            return 1
        return 0
    docs.README.write_text(updated)
    return 0


def cmd_stubs(args) -> int:
    if args.check:
        if progress.pristine_ids() != progress.current_stub_ids():
            print("dojo/stubs.json does not match katas/: run `python -m dojo stubs`", file=sys.stderr)
            return 1
        return 0
    progress.write_stub_ids()
    return 0


def cmd_zoo(args) -> int:
    # Imported here: the zoo brings numpy (35 ms measured), which no other verb here needs.
    from dojo import zoo

    return zoo.regenerate(check=args.check)
