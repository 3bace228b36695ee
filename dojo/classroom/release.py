"""The student release (`python -m dojo release DEST`): a filtered copy of this repository to use as
the GitHub Classroom template.

It is generated, never maintained by hand (Otter-Grader's and nbgrader's habit): the stubs in
katas/, the kata tests, the tooling, the Classroom workflow regenerated from the catalog, and a
README for students. Left out: solutions/, the wrong and other-right answers of tests/wrong and
tests/right, the kit's own tests (tests/kit/, which need the solutions), the equivalent mutants of
tests/mutation/ (they quote solution lines) and the instructor's CI.

A kata file that is not the pristine stub recorded in dojo/stubs.json (say, the instructor solved it
while trying the kata) stops the release, so no solution ships by accident.
"""
from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

from dojo import catalog, docs, progress
from dojo.catalog import UsageProblem
from dojo.classroom import workflow

# Paths (relative, posix) that never go to students; a trailing slash means a whole folder.
# What students must leave as handed out (Classroom's "protected paths"; grade-submissions reports
# a changed copy): the tests, the test machinery and the grading workflow.
PROTECTED = ("tests/", "conftest.py", "dojo/", ".github/", "Makefile", "pyproject.toml")
INSTRUCTOR_ONLY = ("solutions/", "tests/wrong/", "tests/right/", "tests/kit/", "tests/mutation/", ".ci/",
                   ".github/")
SKIPPED_PARTS = {".git", ".venv", "__pycache__", ".dojo", ".pytest_cache", "build", "dist"}
GIT_AUTHOR = ("Kata Dojo release", "kata-dojo@invalid")

# Help lines of instructor-only targets (and `solution`: a release has none), left out of the
# students' `make help`
INSTRUCTOR_HELP = re.compile(r"^#\s+make (verify|classroom|release|grade-submissions|merge-grades|"
                             r"bench|bench-grading|portable|mutate|solution)\b")
STUDENT_TEST_LINE = "#   make test            every kata's tests on your katas/ in one run (see also make grade)"
STUDENT_TEST_RECIPE = "\t$(PY) -m pytest --learner -q --no-header -p no:cacheprovider --disable-warnings"


class ReleaseProblem(Exception):
    """Something stops the release; the message says what to do."""


# New files that git does not track yet are released only from these folders (a kata being
# written); elsewhere only tracked files go, so stray files such as grades.csv never ship.
UNTRACKED_RELEASED = ("katas/", "tests/", "dojo/")


def source_files(root: pathlib.Path = catalog.ROOT, untracked_under: tuple[str, ...] | None = None) -> list[str]:
    """The repository's files (relative posix paths): what git tracks plus the new files it does
    not ignore (with untracked_under, only those under these folders); without git, every file
    outside caches and environments."""
    try:
        def listed(*options):
            out = subprocess.run(["git", "ls-files", "-z", *options], cwd=root, capture_output=True,
                                 check=True).stdout.decode()
            return [n for n in out.split("\0") if n]

        names = listed("--cached") + [n for n in listed("--others", "--exclude-standard")
                                      if untracked_under is None or n.startswith(untracked_under)]
    except (OSError, subprocess.CalledProcessError):
        names = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    kept = []
    for name in sorted(set(names)):
        parts = pathlib.PurePosixPath(name).parts
        if any(part in SKIPPED_PARTS or part.endswith(".egg-info") for part in parts):
            continue
        if name.endswith((".pyc", ".pyo")) or not (root / name).is_file():
            continue
        kept.append(name)
    return kept


def is_instructor_only(name: str) -> bool:
    return any(name == p.rstrip("/") or (p.endswith("/") and name.startswith(p)) for p in INSTRUCTOR_ONLY)


def release_files(root: pathlib.Path = catalog.ROOT) -> list[str]:
    """Files copied as they are (README.md and Makefile are rewritten; .github is regenerated)."""
    return [n for n in source_files(root, UNTRACKED_RELEASED) if not is_instructor_only(n)]


def check_stubs(katas: list[catalog.Kata], allow_modified: bool = False) -> list[str]:
    """Refuse katas/ files that are not the pristine stubs; returns warnings."""
    recorded = progress.pristine_ids()
    warnings, problems = [], []
    for kata in katas:
        path = kata.kata_file
        shown = path.relative_to(catalog.ROOT)
        if not path.exists():
            problems.append(f"{shown} is missing")
            continue
        data = path.read_bytes()
        if kata.solution_file.exists() and _normal(data) == _normal(kata.solution_file.read_bytes()):
            problems.append(f"{shown} is the reference solution")
            continue
        expected = recorded.get(kata.id)
        if expected is None:
            warnings.append(f"no pristine stub is recorded for {kata.id} in dojo/stubs.json "
                            f"(`python -m dojo stubs`); {shown} was taken as it is")
        elif progress.git_blob_id(data) != expected and not allow_modified:
            problems.append(f"{shown} differs from the pristine stub recorded in dojo/stubs.json")
    if problems:
        raise ReleaseProblem("katas/ must hold the pristine stubs:\n  " + "\n  ".join(problems) +
                             "\nRestore them (`make reset N=...` or `git checkout -- katas/`), or "
                             "record new stubs with `python -m dojo stubs`; --allow-modified-katas "
                             "takes katas/ as it is.")
    return warnings


def _normal(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").strip()


def student_makefile(text: str) -> str:
    """The instructor's Makefile with `make test` turned into the students' all-katas run and
    the instructor-only targets left out of its help text."""
    lines = text.splitlines()
    out, i, replaced_recipe, replaced_help = [], 0, False, False
    while i < len(lines):
        line = lines[i]
        if re.match(r"^#\s+make test\s", line):
            out.append(STUDENT_TEST_LINE)
            replaced_help = True
        elif INSTRUCTOR_HELP.match(line):
            pass
        elif re.match(r"^test:", line):
            out.append("test: $(ENV)")  # without the kit's own test dependencies
            i += 1
            while i < len(lines) and lines[i].startswith("\t"):
                i += 1
            out.append(STUDENT_TEST_RECIPE)
            replaced_recipe = True
            continue
        else:
            out.append(line)
        i += 1
    if not (replaced_recipe and replaced_help):
        raise ReleaseProblem("the Makefile has no `test:` target or no `#   make test` help line "
                             "to turn into the students' version (dojo/classroom/release.py, student_makefile)")
    return "\n".join(out) + "\n"


def make_targets(makefile_text: str) -> set[str]:
    return set(re.findall(r"^([a-z][a-z0-9-]*):", makefile_text, flags=re.M))


def _minutes(values) -> str:
    values = sorted(set(values))
    if len(values) == 1:
        return f"{values[0]:g} minutes"
    return f"{values[0]:g} to {values[-1]:g} minutes"


def _listed(paths) -> str:
    """`a`, `b` and `c`."""
    shown = [f"`{p}`" for p in paths]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def student_readme(katas: list[catalog.Kata], targets: set[str]) -> str:
    total = sum(k.points for k in katas)
    steps = workflow.grader_steps(katas)
    minutes = sorted({s.timeout for s in steps})

    def has(target, text):
        return text if target in targets else ""

    work = [
        "1. Open the kata's file, e.g. `katas/k01_freeze_first_layers.py`. Its docstring is the lesson.",
        "2. `make kata N=1` (or `python -m dojo run 1`) runs that kata's tests on your file and "
        "explains the first failing check in model terms. The first run creates `.venv` and "
        "installs TensorFlow (about a minute).",
        has("hint", "3. Stuck? `make hint N=1` shows the next hint each time you ask."),
        has("watch", "4. `make watch N=1` re-runs the kata every time you save."),
    ]
    tools = [
        has("list", "- `make list`: every kata with its points and your status."),
        has("progress", "- `make progress`: runs the katas you changed since their last run; "
            "points so far."),
        has("reset", "- `make reset N=3`: puts kata 3's stub back (your version is backed up)."),
        has("inspect", "- `make inspect N=3`: freeze maps of kata 3's models under your code."),
        has("test", "- `make test`: every kata's tests on your `katas/` in one run (a quick, "
            "detailed preview)."),
        has("grade", "- `make grade`: your grade exactly as GitHub Classroom computes it: the same "
            "commands, one per kata, then `Points X/Y`."),
        has("quiz", "- `make quiz`: a timed quiz on freezing layers; an experiment proves each answer."),
    ]
    return f"""# Katas: freezing and unfreezing layers in TensorFlow/Keras

Small, test-driven exercises (katas) on which weights `fit()` really changes. Each kata is a
function to write in `katas/`; its tests train a real (tiny) model and compare the weights before
and after, layer by layer. There are {len(katas)} katas worth {total} points.

## How to work

{chr(10).join(line for line in work if line)}

Without `make`: `python -m dojo run 1`, `python -m dojo hint 1`, `python -m dojo list`.
To use a Python environment you already have, pass `VENV=/path/to/venv` to any target.
In a browser: open the repository in GitHub Codespaces ("Code", then "Codespaces"): the dev
container (`.devcontainer/`) sets up the environment while it is created, then `make kata N=1`.
In Jupyter or Colab: `notebooks/katas.ipynb` (`from dojo import kata; kata.run(1)`).

{chr(10).join(line for line in tools if line)}

## How grading works

Every push to GitHub runs the workflow `.github/workflows/classroom.yml` (GitHub Classroom's
autograding). Each kata is one grading step worth the kata's points: all of its tests pass, you get
them all; otherwise none. Each step has a time limit of {_minutes(minutes)}, far more than a
correct kata needs, and a kata that fails, crashes or runs out of time costs only its own points. The result appears in the repository's
Actions tab as `Points X/{total}`. `make grade` shows you the same result before you push.

Edit only `katas/`. Leave {_listed(PROTECTED)} as they are: your instructor grades with their own
copies of these files, and a changed copy is reported to them.

## Katas

{docs.marked_table()}
"""


def build(dest: pathlib.Path, allow_modified_katas: bool = False, git: bool = True,
          echo=print) -> list[str]:
    """Write the release into dest (which must not exist or be empty). Returns the copied files."""
    root = catalog.ROOT
    dest = dest.resolve()
    if dest == root or root in dest.parents:
        raise ReleaseProblem(f"DEST must be outside this repository, not {dest}")
    if dest.exists() and any(dest.iterdir()):
        raise ReleaseProblem(f"{dest} is not empty: choose a new folder")
    katas = catalog.load()
    for warning in check_stubs(katas, allow_modified_katas):
        echo(f"warning: {warning}")
    files = release_files(root)
    for kata in katas:
        for needed in (kata.kata_file, kata.test_file):
            if needed.relative_to(root).as_posix() not in files:
                raise ReleaseProblem(f"{needed.relative_to(root)} is missing from the repository")
    dest.mkdir(parents=True, exist_ok=True)
    makefile = None
    for name in files:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name == "Makefile":
            makefile = student_makefile((root / name).read_text())
            target.write_text(makefile)
        elif name != "README.md":
            shutil.copy2(root / name, target)
    for relative, text in workflow.generated_files(katas).items():
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        (dest / relative).write_text(text)
    (dest / "README.md").write_text(student_readme(katas, make_targets(makefile or "")))
    written = sorted({*files, "README.md", *(p.as_posix() for p in workflow.generated_files(katas))})
    if git:
        _commit(dest, echo)
    return written


def _commit(dest: pathlib.Path, echo) -> None:
    """Make dest a git repository with one commit (`make reset` reads the stubs from it)."""
    env = dict(os.environ)
    for key, value in (("GIT_AUTHOR_NAME", GIT_AUTHOR[0]), ("GIT_AUTHOR_EMAIL", GIT_AUTHOR[1])):
        env.setdefault(key, value)
    env.setdefault("GIT_COMMITTER_NAME", env["GIT_AUTHOR_NAME"])
    env.setdefault("GIT_COMMITTER_EMAIL", env["GIT_AUTHOR_EMAIL"])
    try:
        for cmd in (["git", "init", "-q"], ["git", "add", "-A"],
                    ["git", "commit", "-q", "-m", "Kata dojo: starter code for students"]):
            subprocess.run(cmd, cwd=dest, env=env, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        echo(f"note: could not make {dest} a git repository ({detail.decode(errors='replace').strip() or error}); "
             f"run `git init && git add -A && git commit` there yourself")


def cmd_release(args) -> int:
    if not args.dest:
        raise UsageProblem("where to? Give a new folder: `make release DEST=../freezing-katas-student` "
                           "or `python -m dojo release ../freezing-katas-student`")
    try:
        written = build(pathlib.Path(args.dest), allow_modified_katas=args.allow_modified_katas,
                        git=not getattr(args, "no_git", False))
    except ReleaseProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    katas = catalog.load()
    print(f"Wrote the student release to {args.dest}: {len(written)} files, {len(katas)} katas "
          f"(stubs), no solutions/, no tests/wrong or tests/right, no kit tests.")
    print("Next: push it to a new GitHub repository, mark it as a template, and use it as the "
          "assignment's starter code (README: For instructors).")
    return 0


def copy_checkout(dest: pathlib.Path, root: pathlib.Path = catalog.ROOT) -> pathlib.Path:
    """A plain copy of this working tree (what a fresh clone plus the uncommitted files would
    hold, solutions included): the kit's tests grade and release from such copies, never from the
    checkout itself."""
    for name in source_files(root):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    return dest
