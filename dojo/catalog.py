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


class CatalogError(ValueError):
    """The catalog file itself is malformed (a contributor's mistake, not a learner's)."""


class UnknownKata(LookupError):
    """A learner asked for a kata that does not exist."""


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


def kata_for_test_path(path: str | pathlib.Path, katas: list[Kata] | None = None) -> Kata | None:
    """The kata whose tests live in `path` (tests/test_kNN_<slug>.py), or None."""
    match = re.match(r"^test_k(\d+)_", pathlib.Path(path).name)
    if not match:
        return None
    katas = load() if katas is None else katas
    number = int(match.group(1))
    return next((k for k in katas if k.number == number), None)
