"""The command line: `python -m dojo VERB` (the Makefile's targets are thin wrappers around it).

This module holds the argument definitions of every verb and nothing else: each verb's work is a
`cmd_<verb>(args)` function in the module that owns it (learner.py, loop.py, quiz/, classroom/,
contributor.py, ...). Verbs that only read the catalog (list, hint, readme) never import
TensorFlow, so they answer at once. Errors a person can fix (an unknown kata, a missing argument)
print one line of advice and exit with status 2, never a traceback.
"""
from __future__ import annotations

import argparse
import pathlib
import sys

from dojo import bench, catalog, contributor, learner, loop, matrix, mutate
from dojo.catalog import UsageProblem
from dojo.classroom import actions_bench, class_bench, grading, release, submissions, workflow
from dojo.quiz import questions, session


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line of advice (exit 2) instead of a usage dump."""

    def error(self, message):
        raise UsageProblem(f"{message}; `python -m dojo --help` lists the verbs and options")


def _kata_verb(verbs, name: str, func, help: str) -> argparse.ArgumentParser:  # noqa: A002
    """A verb whose first argument names a kata."""
    verb = verbs.add_parser(name, help=help)
    verb.add_argument("kata", nargs="?", help="number (3, 03) or slug")
    verb.set_defaults(func=func)
    return verb


def _learner_verbs(verbs) -> None:
    run = _kata_verb(verbs, "run", learner.cmd_run, "run one kata's tests against your katas/ file")
    run.add_argument("--warm", action="store_true",
                     help="run in the warm runner (TensorFlow already imported; hard time limit)")
    verbs.add_parser("list", help="every kata with level, points and your status").set_defaults(
        func=learner.cmd_list)
    verbs.add_parser("progress", help="what passes, points earned, the badge").set_defaults(
        func=learner.cmd_progress)
    _kata_verb(verbs, "hint", learner.cmd_hint, "the next hint for a kata").add_argument(
        "--all", action="store_true", help="show every hint at once")
    _kata_verb(verbs, "inspect", learner.cmd_inspect, "freeze maps of the kata's models under your code")
    _kata_verb(verbs, "reset", learner.cmd_reset, "restore a kata's stub (your version is backed "
               "up)").add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _kata_verb(verbs, "solution", learner.cmd_solution, "the reference solution, once the kata "
               "passes").add_argument("--force", action="store_true",
                                      help="show it even if the kata fails")
    watch = _kata_verb(verbs, "watch", loop.cmd_watch, "re-run a kata on every save (TensorFlow "
                       "kept warm)")
    watch.add_argument("--max-runs", type=int, help=argparse.SUPPRESS)  # for tests and bench
    pair = _kata_verb(verbs, "pair", loop.cmd_pair, "watch mode for two: turns, and a co-authored "
                      "commit on green")
    pair.add_argument("--names", required=True, help='"Ann <ann@x.org>,Bob <bob@y.org>"')
    pair.add_argument("--every", type=float, default=5.0, help="minutes per turn (default 5)")
    pair.add_argument("--commit", choices=("ask", "yes", "no"), default="ask",
                      help="on green: ask before committing (default), always, or never")
    pair.add_argument("--max-runs", type=int, help=argparse.SUPPRESS)
    bench_ = verbs.add_parser("bench", help="measure import, cold run and warm re-run times")
    bench_.add_argument("--repeat", type=int, default=3, help="cold runs per kata (median)")
    bench_.add_argument("--saves", type=int, default=3, help="warm re-runs per kata (median)")
    bench_.add_argument("--only", metavar="KATAS", help="only these katas, e.g. 1-5,8 (BENCH.md is "
                                                        "written only for all of them)")
    bench_.set_defaults(func=bench.cmd_bench)


def _quiz_verb(verbs) -> None:
    quiz = verbs.add_parser(
        "quiz", help="timed quiz on freezing; a live experiment proves each answer",
        description="A timed quiz on freezing layers in Keras: two attempts per question, a hint "
                    "after a miss, and a live experiment that proves each answer (rules: "
                    "dojo/quiz/__init__.py).",
        epilog="Exit status: 0 completed, 1 stopped early, 2 usage error, 130 Ctrl-C.")
    quiz.add_argument("--set", default="warm-up", choices=[*questions.SETS, questions.ALL],
                      dest="set_name", help="warm-up (default): the quiz's own questions; practice: "
                      "the five challenges of the practice set, in its order; all: both")
    quiz.add_argument("--seed", type=int, help="fixed question order and choice order (each run "
                                               "prints the seed it used)")
    quiz.add_argument("--questions", default="all", metavar="SPEC",
                      help="'all' (default), a count such as 5, or question numbers/ids such as "
                           "1,4,7 (one question: 4, with a trailing comma)")
    quiz.add_argument("--time-limit", type=float, metavar="SECONDS",
                      help="one time limit per attempt for every question, instead of each "
                           "question's own")
    quiz.add_argument("--answers", metavar="LETTERS",
                      help="answer without reading input: one letter per attempt, e.g. B,C,T,A "
                           "(after a wrong letter the next one is that question's second attempt; "
                           "T or - lets the attempt time out)")
    quiz.add_argument("--answer-key", action="store_true",
                      help="with --seed: print each question's id and its right letter in that run, "
                           "in the order it asks them, and exit (instructors, scripts)")
    quiz.add_argument("--no-proof", action="store_true", help="skip the experiments (no TensorFlow)")
    quiz.add_argument("--no-color", action="store_true", help="no colours (NO_COLOR=1 does the same)")
    quiz.add_argument("--list", action="store_true", help="list the questions and exit")
    quiz.set_defaults(func=session.cmd_quiz)


def _contributor_verbs(verbs) -> None:
    check = verbs.add_parser("verify", help="kit self-check over stubs, solutions and wrong answers, "
                                            "and the requirements each wrong answer breaks")
    check.add_argument("kata", nargs="?", help="one kata (number or slug); default: every kata")
    check.add_argument("--kinds", default="all",
                       help=f"'all' or a comma list of {','.join(catalog.VARIANT_KINDS)}")
    check.set_defaults(func=contributor.cmd_verify)
    readme = verbs.add_parser("readme", help="regenerate the README's kata table from the catalog")
    readme.add_argument("--check", action="store_true", help="only check that it is up to date")
    readme.set_defaults(func=contributor.cmd_readme)
    stubs = verbs.add_parser("stubs", help="record the pristine stubs' git blob ids (contributors)")
    stubs.add_argument("--check", action="store_true", help="only check that they are up to date")
    stubs.set_defaults(func=contributor.cmd_stubs)
    zoo = verbs.add_parser("zoo", help="pretrain the model zoo and write dojo/zoo_weights.npz "
                                       "(contributors)")
    zoo.add_argument("--check", action="store_true",
                     help="only check that the shipped file matches a fresh pretraining")
    zoo.set_defaults(func=contributor.cmd_zoo)
    mutate_ = verbs.add_parser("mutate", help="mutation testing of solutions/: every mutant must "
                               "fail a kata test or be listed as equivalent (contributors)")
    mutate_.add_argument("kata", nargs="?", help="one kata (default: every kata)")
    mutate_.add_argument("--jobs", type=int, default=0,
                         help="mutants tested at once, each in its own copy (default: the number "
                              "of cores, at most 4)")
    mutate_.add_argument("--match", default="", metavar="TEXT",
                         help="only the mutants whose 'line -> mutated' text contains TEXT")
    mutate_.add_argument("--work-dir", type=pathlib.Path, default=mutate.WORK_DIR,
                         help=argparse.SUPPRESS)
    mutate_.add_argument("--tests-of", help=argparse.SUPPRESS)  # inside a lane's warm runner
    mutate_.add_argument("--results", help=argparse.SUPPRESS)
    mutate_.set_defaults(func=mutate.cmd_mutate)
    matrix_ = verbs.add_parser("matrix", help="the solutions' suite under several TensorFlow/Keras "
                                              "versions, each in a fresh environment")
    matrix_.add_argument("--dir", default=str(catalog.ROOT / ".matrix"), help="where the venvs go")
    matrix_.add_argument("--pairs", default=",".join(matrix.DEFAULT_PAIRS),
                         help="comma list of TENSORFLOW:KERAS versions")
    matrix_.set_defaults(func=matrix.cmd_matrix)


def _instructor_verbs(verbs) -> None:
    classroom = verbs.add_parser("classroom", help="write .github/workflows/classroom.yml and the "
                                 "legacy .github/classroom/autograding.json from the catalog")
    classroom.add_argument("--check", action="store_true", help="only check that they are up to date")
    classroom.set_defaults(func=workflow.cmd_classroom)
    grade = verbs.add_parser("grade", help="run the Classroom workflow's grader commands here and "
                             "print the points as the reporter does")
    grade.add_argument("--only", metavar="KATAS", help="only these katas, e.g. 1-5,8")
    grade.add_argument("-v", "--verbose", action="store_true", help="show each command's output")
    grade.add_argument("--sandbox", action="store_true",
                       help="grade as grade-submissions does, in the bubblewrap sandbox, instead "
                            "of running the workflow's commands: to try one submission safely")
    grade.add_argument("--submission", metavar="DIR",
                       help="with --sandbox: the checkout to grade (default: this one)")
    grade.add_argument("--no-sandbox", action="store_true", help=argparse.SUPPRESS)
    grade.set_defaults(func=grading.cmd_grade)
    release_ = verbs.add_parser("release", help="write the student template (stubs, no solutions) "
                                "to DEST")
    release_.add_argument("dest", nargs="?", metavar="DEST")
    release_.add_argument("--allow-modified-katas", action="store_true",
                          help="take katas/ as they are even when they are not the recorded stubs")
    release_.add_argument("--no-git", action="store_true",
                          help="do not make DEST a git repository with one commit")
    release_.set_defaults(func=release.cmd_release)
    bulk = verbs.add_parser("grade-submissions", help="grade a folder of student checkouts with "
                            "this repository's own tests; write a CSV")
    bulk.add_argument("submissions", nargs="?", metavar="DIR",
                      help="one subfolder per student, each a checkout of the assignment")
    bulk.add_argument("--out", default="grades.csv", help="the CSV to write (default grades.csv)")
    bulk.add_argument("--only", metavar="KATAS", help="grade only these katas, e.g. 1-5,8")
    bulk.add_argument("--no-sandbox", action="store_true",
                      help="run the students' code WITHOUT the bubblewrap sandbox, with your rights")
    bulk.add_argument("--parallel", type=int, metavar="N",
                      help="students graded side by side (default: one per core, at most 4)")
    bulk.add_argument("--shard", metavar="I/N",
                      help="grade only every N-th student from the I-th (one job of a matrix; "
                           "merge the CSVs with merge-grades)")
    bulk.set_defaults(func=submissions.cmd_grade_submissions)
    merge = verbs.add_parser("merge-grades", help="merge the CSVs of grade-submissions shards")
    merge.add_argument("parts", nargs="+", metavar="CSV", help="the shards' CSV files")
    merge.add_argument("--out", default="grades.csv", help="the merged CSV (default grades.csv)")
    merge.set_defaults(func=submissions.cmd_merge_grades)
    class_bench_ = verbs.add_parser("bench-grading", help="students an hour for bulk grading, on a "
                                    "synthetic class, sandboxed and not (BENCH.md)")
    class_bench_.add_argument("--students", type=int, default=20, help="class size (default 20)")
    class_bench_.set_defaults(func=class_bench.cmd_bench_grading)
    actions_bench_ = verbs.add_parser("bench-classroom", help="Classroom grading through the real "
                                      "grader actions, as a ratio to one plain pytest run (BENCH.md)")
    actions_bench_.add_argument("--pairs", type=int, default=3, help="paired runs (default 3)")
    actions_bench_.set_defaults(func=actions_bench.cmd_bench_classroom)


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="python -m dojo", description="Katas on freezing layers in Keras.")
    verbs = top.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    _learner_verbs(verbs)
    _quiz_verb(verbs)
    _contributor_verbs(verbs)
    _instructor_verbs(verbs)
    return top


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    top = parser()
    try:
        args, extra = top.parse_known_args(argv)
        if extra and getattr(args, "verb", None) != "run":
            top.error(f"unrecognized arguments: {' '.join(extra)}")
        args.pytest_args = extra  # `run` passes what it does not know on to pytest
    except SystemExit as exit_:  # --help
        return int(exit_.code or 0)
    except UsageProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if args.verb is None:
        top.print_help()
        return 2
    try:
        return args.func(args)
    except (UsageProblem, LookupError) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    except catalog.CatalogError as problem:
        print(f"error: the kata catalog is broken: {problem}", file=sys.stderr)
        return 2
    except questions.QuizFileError as problem:
        print(f"error: the quiz file is broken: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
