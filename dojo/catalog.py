"""Load and validate the kata catalog (catalog.toml), and resolve a learner's kata reference.

Everything that needs the list of katas (Makefile, CLI, README table, pytest plugin) calls
`load()`; nothing else keeps its own list. This module must stay free of TensorFlow imports so
that commands such as `list` and `hint` answer instantly.
"""
from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CATALOG_FILE = pathlib.Path(__file__).resolve().parent / "catalog.toml"

LEVEL_NAMES = {
    1: "Basics",
    2: "Targeting layers",
    3: "Transfer learning",
    4: "Beyond fit()",
    5: "Real architectures and PEFT",
}

_SLUG = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


BADGE = "Freezing Master"  # every kata passed, or every quiz question right at the first attempt


class CatalogError(ValueError):
    """The catalog file itself is malformed (a contributor's mistake, not a learner's)."""


class UnknownKata(LookupError):
    """A learner asked for a kata that does not exist."""


class UsageProblem(Exception):
    """Something the person asked for that cannot be done as asked; the message says what to do
    instead. The command line prints it in one line and exits with status 2."""


@dataclasses.dataclass(frozen=True)
class Kata:
    number: int
    slug: str
    title: str
    level: int
    points: int
    time_limit: int
    minutes: int
    challenge: int
    functions: tuple[str, ...]
    hints: tuple[str, ...]

    @property
    def id(self) -> str:
        """Stable identifier, e.g. 'k03_fine_tuning_learning_rate'."""
        return f"k{self.number:02d}_{self.slug}"

    @property
    def kata_file(self) -> pathlib.Path:
        return ROOT / "katas" / f"{self.id}.py"

    @property
    def solution_file(self) -> pathlib.Path:
        return ROOT / "solutions" / f"{self.id}.py"

    @property
    def test_file(self) -> pathlib.Path:
        return ROOT / "tests" / f"test_{self.id}.py"

    @property
    def wrong_dir(self) -> pathlib.Path:
        """Plausible wrong answers that the kata's tests must reject."""
        return ROOT / "tests" / "wrong" / self.id

    def wrong_answers(self) -> list[pathlib.Path]:
        return sorted(p for p in self.wrong_dir.glob("*.py") if not p.name.startswith("_"))

    @property
    def right_dir(self) -> pathlib.Path:
        """Other correct answers, written differently from the solution, that must pass too."""
        return ROOT / "tests" / "right" / self.id

    def right_answers(self) -> list[pathlib.Path]:
        return sorted(p for p in self.right_dir.glob("*.py") if not p.name.startswith("_"))

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, f"Level {self.level}")

    @property
    def hard_deadline(self) -> float:
        """A whole run of this kata may take this long before it is killed (warm runner, grading);
        pytest-timeout stops each test at `time_limit` first, so this only catches hangs no signal
        reaches."""
        return 2 * self.time_limit + 30


_REQUIRED = {
    "number": int, "slug": str, "title": str, "level": int, "points": int,
    "time_limit": int, "minutes": int, "challenge": int, "functions": list, "hints": list,
}


def _parse(entry: dict, index: int) -> Kata:
    where = f"{CATALOG_FILE.name}, kata #{index + 1}"
    missing = sorted(set(_REQUIRED) - set(entry))
    unknown = sorted(set(entry) - set(_REQUIRED))
    if missing or unknown:
        raise CatalogError(f"{where}: missing fields {missing}, unknown fields {unknown}")
    for field, kind in _REQUIRED.items():
        if not isinstance(entry[field], kind) or isinstance(entry[field], bool):
            raise CatalogError(f"{where}: '{field}' must be of type {kind.__name__}")
    if not _SLUG.match(entry["slug"]):
        raise CatalogError(f"{where}: slug {entry['slug']!r} must be lower_snake_case")
    if len(entry["hints"]) < 2 or not all(isinstance(h, str) and h.strip() for h in entry["hints"]):
        raise CatalogError(f"{where}: needs at least two non-empty hints")
    if not entry["functions"] or not all(isinstance(f, str) for f in entry["functions"]):
        raise CatalogError(f"{where}: 'functions' must list the kata's public functions")
    for field in ("points", "time_limit", "minutes", "level"):
        if entry[field] <= 0:
            raise CatalogError(f"{where}: '{field}' must be positive")
    if not 0 <= entry["challenge"] <= 5:
        raise CatalogError(f"{where}: 'challenge' is 0 (none) or one of the practice challenges 1-5")
    return Kata(**{**entry, "functions": tuple(entry["functions"]), "hints": tuple(entry["hints"])})


_LOADED: dict = {}  # (path, mtime, size) -> katas: one run asks for the catalog several times


def load(path: pathlib.Path = CATALOG_FILE) -> list[Kata]:
    """All katas in order; raises CatalogError when the file breaks a rule."""
    stat = os.stat(path)
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _LOADED:
        _LOADED[key] = _load(path)
    return list(_LOADED[key])


def _load(path: pathlib.Path) -> list[Kata]:
    with open(path, "rb") as f:
        data = tomllib.load(f)
    katas = [_parse(entry, i) for i, entry in enumerate(data.get("kata", []))]
    numbers = [k.number for k in katas]
    if numbers != list(range(1, len(katas) + 1)):
        raise CatalogError(f"kata numbers must run 1..{len(katas)} in order, got {numbers}")
    slugs = [k.slug for k in katas]
    if len(set(slugs)) != len(slugs):
        raise CatalogError("kata slugs must be unique")
    return katas


def find(ref: str | int, katas: list[Kata] | None = None) -> Kata:
    """Resolve '3', '03', 3, 'k03', 'k03_fine_tuning_learning_rate' or a slug to its Kata."""
    katas = load() if katas is None else katas
    text = str(ref).strip().lower()
    for kata in katas:
        if text in {str(kata.number), f"{kata.number:02d}", f"k{kata.number:02d}", kata.slug, kata.id}:
            return kata
    listing = "\n".join(f"  {k.number:>2}  {k.slug:<34} {k.title}" for k in katas)
    raise UnknownKata(f"There is no kata {str(ref)!r}. Choose a number or a slug:\n{listing}")


def named(ref) -> Kata:
    """The kata a person named on the command line; UsageProblem when none was given."""
    if ref is None or str(ref).strip() == "":
        raise UsageProblem("which kata? Give its number or slug, e.g. `make kata N=3` or "
                           "`python -m dojo run 3` (`make list` shows them all)")
    return find(ref)


def kata_for_test_path(path: str | pathlib.Path, katas: list[Kata] | None = None) -> Kata | None:
    """The kata whose tests live in `path` (tests/test_kNN_<slug>.py), or None."""
    match = re.match(r"^test_k(\d+)_", pathlib.Path(path).name)
    if not match:
        return None
    katas = load() if katas is None else katas
    number = int(match.group(1))
    return next((k for k in katas if k.number == number), None)


def select(katas: list[Kata], only: str | None) -> list[Kata]:
    """The katas that `--only 1-5,8` names (all when `only` is None or empty)."""
    if not only:
        return list(katas)
    numbers: set[int] = set()
    for part in filter(None, (p.strip() for p in only.split(","))):
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise UsageProblem(f"--only takes kata numbers and ranges such as 1-5,8, not {only!r}")
        numbers.update(range(int(first), int(last or first) + 1))
    chosen = [k for k in katas if k.number in numbers]
    if not chosen:
        raise UsageProblem(f"--only {only} names no kata of the catalog")
    return chosen


# --- the variants of a kata's code that the self-check runs -----------------------------------

VARIANT_KINDS = ("stub", "solution", "right", "wrong")
PASSING_KINDS = ("solution", "right")  # other correct answers live in tests/right/kNN_<slug>/


def variants(kata: Kata, kinds=VARIANT_KINDS) -> list[tuple[str, pathlib.Path]]:
    """(variant name, file) for the kit's self-check: stub, solution, each other right answer, then
    each wrong answer."""
    found = []
    if "stub" in kinds:
        found.append(("stub", kata.kata_file))
    if "solution" in kinds:
        found.append(("solution", kata.solution_file))
    if "right" in kinds:
        found += [(f"right-{p.stem}", p) for p in kata.right_answers()]
    if "wrong" in kinds:
        found += [(f"wrong-{p.stem}", p) for p in kata.wrong_answers()]
    return found


def variant_kinds(option: str) -> tuple[str, ...]:
    """'all' or a comma list of VARIANT_KINDS, as a tuple of kinds."""
    if option.strip() == "all":
        return VARIANT_KINDS
    kinds = tuple(k.strip() for k in option.split(",") if k.strip())
    unknown = [k for k in kinds if k not in VARIANT_KINDS]
    if unknown:
        raise UsageProblem(f"unknown kind(s) {unknown}; use 'all' or {', '.join(VARIANT_KINDS)}")
    return kinds
