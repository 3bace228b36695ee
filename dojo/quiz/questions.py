"""The quiz file (quiz.toml): its questions, their checks, and a run's plan: which questions,
in which order, with which letter right for each."""
from __future__ import annotations

import ast
import dataclasses
import pathlib
import random
import tomllib

from dojo.catalog import UsageProblem

QUIZ_FILE = pathlib.Path(__file__).resolve().parent / "quiz.toml"
PROOFS_FILE = pathlib.Path(__file__).resolve().parent / "proofs.py"
LETTERS = "ABCD"
TIMEOUT_LETTERS = ("T", "-")
ATTEMPTS = 2
POINTS = {1: 2, 2: 1}          # attempt that got it right -> points
MIN_QUESTIONS = 12


class QuizFileError(ValueError):
    """quiz.toml is malformed: a contributor's mistake."""


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
                           f"{len(self.questions)} or an id (python -m dojo quiz --list)")


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


def print_answer_key(questions: list[Question]) -> None:
    """One 'id letter' line per question, in the order of the run: plain text for scripts."""
    for q in questions:
        print(f"{q.id} {q.answer}")
