"""The freezing quiz (`python -m dojo quiz`): its data, its proofs and its command line.

Every proof runs here on the installed Keras and must support its question's keyed answer, so an
upgrade that changes a behaviour fails the build instead of teaching something false. The command
line is driven through --answers (a perfect run, misses with hints, a timeout), --answer-key, a pipe
(Ctrl-C) and a pseudo-terminal (single keys, the live countdown, a real timeout). Choices are
shuffled per run, so every run here has a fixed --seed and takes its letters from `quiz_file.plan`.
"""
import os
import re
import select
import signal
import subprocess
import sys
import time

import pytest

from dojo import catalog
from dojo.quiz import proofs as proof_module
from dojo.quiz import questions as quiz_file

ROOT = catalog.ROOT
QUIZ = quiz_file.load()
PROOF_BUDGET_SECONDS = 30.0
SEED = 11                       # every run below is seeded: the letters are shuffled per run

# The five practice topics, in the practice set's order, then the traps the kit's fact checks show.
PRACTICE_TOPICS = ["frozen-layers", "which-layers", "learning-rate", "recompile", "capacity"]
REQUIRED_TOPICS = {
    *PRACTICE_TOPICS,
    "batchnorm", "no-op", "dropout", "custom-loop", "optimizer-reuse", "shared-layers", "training-leak",
    "lora", "attention",
}


def keyed(questions) -> list[str]:
    return [q.answer for q in questions]


def wrong(question) -> str:
    return next(letter for letter in quiz_file.LETTERS if letter != question.answer)


def seeded(*numbers, seed=SEED, set_name="warm-up"):
    """Questions by file number, as a run with `seed` shows them (shuffled choices, its letters)."""
    return quiz_file.plan(QUIZ, ",".join(map(str, numbers)) + ",", seed, set_name)   # "5," is question 5


def quiz_env(**extra) -> dict:
    # No colour and very wide lines: the output can be searched for whole sentences.
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "1000", "PYTHONUNBUFFERED": "1", **extra}
    env.pop("FORCE_COLOR", None)
    return env


def run_quiz(*args, timeout=120, **extra_env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dojo", "quiz", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=quiz_env(**extra_env), stdin=subprocess.DEVNULL)


def flat(text: str) -> str:
    return " ".join(text.split())


# --- the quiz file ---------------------------------------------------------------------------


def test_the_quiz_file_validates_and_covers_every_topic():
    assert len(QUIZ.questions) >= 12
    assert set(QUIZ.topics) == REQUIRED_TOPICS
    assert {q.topic for q in QUIZ.questions} == REQUIRED_TOPICS
    proofs = quiz_file.proof_names()
    for q in QUIZ.questions:
        assert len(q.choices) == 4 and len(set(q.choices)) == 4, q.id
        assert q.answer in "ABCD", q.id
        assert q.proof in proofs, q.id
        assert q.time_limit > 0 and q.hint and q.explanation, q.id
    assert len({q.id for q in QUIZ.questions}) == len(QUIZ.questions)


def test_the_practice_set_is_five_challenges_in_its_order():
    practice = quiz_file.in_set(QUIZ, "practice")
    assert [q.topic for q in practice] == PRACTICE_TOPICS
    assert [q.number for q in quiz_file.plan(QUIZ, "all", 3, "practice")] == [q.number for q in practice]
    assert all(q.set == "warm-up" for q in quiz_file.in_set(QUIZ, "warm-up"))
    assert len(quiz_file.in_set(QUIZ, "all")) == len(QUIZ.questions)
    # The first challenge shows code to predict; its proof runs that very code (see below).
    assert "model.layers[:2]" in practice[0].code and "print(" in practice[0].code


def test_proof_names_read_from_source_match_the_registered_proofs():
    assert quiz_file.proof_names() == set(proof_module.PROOFS)
    assert {q.proof for q in QUIZ.questions} <= set(proof_module.PROOFS)


@pytest.mark.parametrize("change, message", [
    (('answer = "B"', 'answer = "E"'), "answer must be one of"),
    (('proof = "frozen_layer_in_fit"', 'proof = "no_such_proof"'), "no proof function"),
    (('topic = "dropout"', 'topic = "nope"'), "is not in [topics]"),
])
def test_a_broken_quiz_file_names_its_problem(tmp_path, change, message):
    text = quiz_file.QUIZ_FILE.read_text()
    assert change[0] in text
    broken = tmp_path / "quiz.toml"
    broken.write_text(text.replace(change[0], change[1], 1))
    with pytest.raises(quiz_file.QuizFileError, match=re.escape(message)):
        quiz_file.load(broken)


def test_plan_orders_by_seed_and_selects_by_count_or_reference():
    warm_up = [q.number for q in quiz_file.in_set(QUIZ, "warm-up")]
    assert quiz_file.plan(QUIZ, "all", 3) == quiz_file.plan(QUIZ, "all", 3)
    assert sorted(q.number for q in quiz_file.plan(QUIZ, "all", 3)) == warm_up
    assert quiz_file.plan(QUIZ, "4", 3) == quiz_file.plan(QUIZ, "all", 3)[:4]
    third = QUIZ.questions[2]
    picked = quiz_file.plan(QUIZ, f"5,{third.id},1", 3)
    assert [q.number for q in picked] == [5, 3, 1]
    # A question keeps the letters of the full run of its seed, however it is picked.
    full = {q.number: q for q in quiz_file.plan(QUIZ, "all", 3)}
    assert all(q == full[q.number] for q in picked)
    practice = quiz_file.in_set(QUIZ, "practice")[0]
    for bad in ("0", "99", "1,1", "no-such-question", practice.id):
        with pytest.raises(catalog.UsageProblem):
            quiz_file.plan(QUIZ, bad, 3)


def test_shuffling_keeps_each_question_and_moves_its_right_choice():
    by_number = {q.number: q for q in QUIZ.questions}
    letters_of = {q.number: set() for q in QUIZ.questions}
    for seed in range(50):
        for q in quiz_file.plan(QUIZ, "all", seed, "all"):
            original = by_number[q.number]
            assert sorted(q.choices) == sorted(original.choices), q.id
            assert q.choices[quiz_file.LETTERS.index(q.answer)] == \
                original.choices[quiz_file.LETTERS.index(original.answer)], q.id
            letters_of[q.number].add(q.answer)
    assert all(letters == set(quiz_file.LETTERS) for letters in letters_of.values())


@pytest.mark.parametrize("set_name", ["warm-up", "practice", "all"])
def test_no_letter_is_keyed_for_more_than_40_percent_of_a_run(set_name):
    worst = 0.0
    for seed in range(200):
        letters = [q.answer for q in quiz_file.plan(QUIZ, "all", seed, set_name)]
        worst = max(worst, max(letters.count(letter) for letter in quiz_file.LETTERS) / len(letters))
    assert worst <= 0.4, f"set {set_name}: a letter was keyed for {worst:.0%} of a run's questions"


# --- the proofs ------------------------------------------------------------------------------

_proof_seconds: dict[str, float] = {}
_proof_results: dict[str, object] = {}


def _run_proof(name: str):
    start = time.perf_counter()
    result = proof_module.PROOFS[name]()
    # Summed: a proof named by two questions runs twice (the second time from its cached lab).
    _proof_seconds[name] = _proof_seconds.get(name, 0.0) + time.perf_counter() - start
    _proof_results[name] = result
    return result


def proof_numbers(name: str) -> dict:
    """A proof's numbers, from this session's run of it when there was one (fits cost time)."""
    return (_proof_results.get(name) or _run_proof(name)).numbers


@pytest.fixture(scope="module")
def tensorflow_imported():
    """Import TensorFlow before the first proof, so that the budget measures the proofs only."""
    proof_module.versions()


@pytest.mark.parametrize("question", QUIZ.questions, ids=[q.id for q in QUIZ.questions])
def test_the_proof_supports_the_keyed_answer(question, tensorflow_imported):
    result = _run_proof(question.proof)
    assert isinstance(result, proof_module.Proof)
    assert result.numbers and result.rows and result.claim
    assert isinstance(result.supports_answer, bool)
    assert result.supports_answer, (
        f"on this Keras, the experiment of question {question.number} ({question.id}) does not "
        f"support its keyed answer {question.answer}; the quiz would teach something false:\n"
        f"{result.text()}\nnumbers: {result.numbers}")


def test_all_proofs_together_take_under_30_seconds(tensorflow_imported):
    """Shared labs run once per process, so the sum over questions is the real cost."""
    for name in {q.proof for q in QUIZ.questions} - set(_proof_seconds):
        _run_proof(name)
    total = sum(_proof_seconds.values())
    slowest = sorted(_proof_seconds.items(), key=lambda item: -item[1])[:3]
    print(f"\nquiz proofs: {total:.1f} s in all; slowest: "
          + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest))
    assert total < PROOF_BUDGET_SECONDS, f"proofs took {total:.1f} s: {_proof_seconds}"


def test_the_capacity_proof_shows_a_lower_validation_loss_with_the_frozen_base(tensorflow_imported):
    """Not only a smaller gap: the keyed answer says the frozen pretrained base generalises better."""
    r = proof_numbers("capacity_versus_generalisation")
    assert r["frozen_val_mse"] < r["full_val_mse"], r
    assert r["frozen_train_mse"] > r["full_train_mse"], r
    assert r["trainable_params_frozen"] < r["n_train"] < r["trainable_params_unfrozen"], r


def test_the_predict_the_output_challenge_prints_its_keyed_choice(tensorflow_imported):
    """The proof runs the code the question shows; what it prints is the right choice, verbatim."""
    q = next(q for q in QUIZ.questions if q.proof == "practice_predict_the_output")
    printed = proof_numbers(q.proof)["printed"].splitlines()
    right = q.choices[quiz_file.LETTERS.index(q.answer)]
    assert right == " then ".join(f"`{line}`" for line in printed), (right, printed)


def test_the_subclassed_call_proof_shows_the_leak_and_the_fix(tensorflow_imported):
    r = proof_numbers("subclassed_training_false_leaks")
    assert not r["given_nothing_dropped"] and r["given_training_dropped"], r


def test_proofs_are_deterministic(tensorflow_imported):
    for name in ("frozen_dropout_still_drops", "top_layers_slice_counts_dropout"):
        assert proof_module.PROOFS[name]().numbers == proof_module.PROOFS[name]().numbers, name


# --- the command line: --answers -------------------------------------------------------------


@pytest.mark.timeout(120)
def test_a_perfect_run_earns_the_badge_and_full_score():
    questions = quiz_file.plan(QUIZ, "all", SEED)
    result = run_quiz("--seed", str(SEED), "--no-proof", "--answers", ",".join(keyed(questions)))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    full = 2 * len(questions)
    assert f"Score: {full}/{full} points" in out
    assert f"Badge: {catalog.BADGE}" in out
    assert "Hint" not in out and "Traceback" not in result.stderr
    # Each question was asked in the planned order, with its explanation.
    positions = [out.index(flat(q.text)[:60]) for q in questions]
    assert positions == sorted(positions)
    assert out.count("Right: 2 points.") == len(questions)
    assert f"Seed: {SEED} (--seed {SEED} replays this run" in out


def answer_key(*args) -> list[tuple[str, str]]:
    result = run_quiz(*args, "--answer-key")
    assert result.returncode == 0, result.stderr
    return [tuple(line.split()) for line in result.stdout.splitlines()]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("set_name", ["warm-up", "practice"])
def test_the_answer_key_of_a_seed_scores_full_marks_in_that_run(set_name):
    key = answer_key("--seed", "42", "--set", set_name)
    assert key == [(q.id, q.answer) for q in quiz_file.plan(QUIZ, "all", 42, set_name)]
    result = run_quiz("--seed", "42", "--set", set_name, "--no-proof",
                      "--answers", ",".join(letter for _, letter in key))
    assert result.returncode == 0, result.stderr
    assert f"Score: {2 * len(key)}/{2 * len(key)} points" in result.stdout
    # Another seed keys other letters: the key belongs to its seed.
    assert answer_key("--seed", "43", "--set", set_name) != key
    assert answer_key("--seed", "42", "--set", set_name, "--questions", "3") == key[:3]


def test_the_answer_key_needs_a_seed():
    result = run_quiz("--answer-key")
    assert result.returncode == 2 and "--answer-key needs --seed" in result.stderr


@pytest.mark.timeout(120)
def test_a_normal_run_never_shows_a_key_before_the_answer():
    questions = quiz_file.plan(QUIZ, "all", SEED, "all")
    misses = [letter for q in questions for letter in [wrong(q)] * 2]     # both attempts wrong
    result = run_quiz("--seed", str(SEED), "--set", "all", "--no-proof", "--answers", ",".join(misses))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert not re.search(r"^\S+ [A-D]$", out, re.M), "an answer-key line in a normal run"
    for q in questions:
        asked = out.index(flat(q.text)[:60])
        prompt = out.index("Your answer", asked)
        shown = out[asked:prompt]
        assert "answer is" not in shown and "support answer" not in shown, q.id
        assert out.index(f"The answer is {q.answer}.", prompt) > out.index("Second attempt", prompt)


@pytest.mark.timeout(120)
def test_make_quiz_passes_set_seed_and_questions_on():
    result = subprocess.run(["make", "--no-print-directory", "quiz", f"VENV={sys.prefix}", "SET=practice",
                             "SEED=5", "Q=2", "ARGS=--answer-key"], cwd=ROOT, capture_output=True,
                            text=True, timeout=100, env=quiz_env(), stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{q.id} {q.answer}" for q in quiz_file.plan(QUIZ, "2", 5, "practice")]


@pytest.mark.timeout(120)
def test_the_practice_set_asks_its_challenges_with_their_code():
    challenges = quiz_file.plan(QUIZ, "all", SEED, "practice")
    result = run_quiz("--set", "practice", "--seed", str(SEED), "--no-proof",
                      "--answers", ",".join(keyed(challenges)))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'the practice set "Freezing and unfreezing layers in TensorFlow"' in out
    positions = [out.index(f"Challenge {i}/5") for i in range(1, 6)]
    assert positions == sorted(positions)
    assert all(flat(q.text)[:60] in flat(out) for q in challenges)
    for line in challenges[0].code.splitlines():            # shown verbatim, indented
        assert f"    {line}".rstrip() in out.splitlines(), line
    assert "Score: 10/10 points" in out


@pytest.mark.timeout(120)
def test_misses_show_the_hint_after_the_first_and_the_answer_after_the_second():
    q1, q2, q3 = seeded(1, 2, 3)
    answers = [wrong(q1), q1.answer, wrong(q2), wrong(q2), q3.answer]
    result = run_quiz("--questions", "1,2,3", "--seed", str(SEED), "--no-proof",
                      "--answers", ",".join(answers))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    first_q1 = out.index(flat(q1.text)[:60])
    miss = out.index(f"Not {wrong(q1)}.", first_q1)
    hint = out.index(flat(q1.hint), miss)
    second = out.index("Second attempt", hint)
    assert first_q1 < miss < hint < second
    assert "Right at the second attempt: 1 point." in out
    assert flat(q2.hint) in out and f"The answer is {q2.answer}." in out
    assert flat(q3.hint) not in out
    assert "Score: 3/6 points (2 of 3 questions right, 1 at the first attempt)." in out
    assert catalog.BADGE + " badge needs" in out and f"Badge: {catalog.BADGE}" not in out


@pytest.mark.timeout(120)
def test_a_timeout_counts_as_a_missed_attempt():
    q1, q2 = seeded(1, 2)
    start = time.monotonic()
    result = run_quiz("--questions", "1,2", "--seed", str(SEED), "--no-proof", "--time-limit", "1",
                      "--answers", f"T,{q1.answer},{q2.answer}")
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert elapsed >= 1.0
    assert "Time's up after 1 s: that counts as a miss." in out
    assert out.index("Time's up") < out.index(flat(q1.hint)) < out.index("Right at the second attempt")
    assert "Score: 3/4 points" in out


@pytest.mark.parametrize("args, message", [
    (("--answers", "B,X"), "X is not an answer"),
    (("--questions", "99"), "give a count from 1 to"),
    (("--questions", "1,nope"), "there is no question 'nope'"),
    (("--time-limit", "0"), "--time-limit must be a positive"),
    (("--questions", "1,2", "--answers", "A"), "--answers ran out at question"),
    (("--set", "practice", "--questions", "1,"), "is in the warm-up set: add --set warm-up"),
    (("--set", "nope"), "invalid choice: 'nope'"),
])
def test_usage_problems_are_one_line_errors_with_exit_2(args, message):
    answers = [] if "--answers" in args else ["--answers", "A"]
    result = run_quiz(*args, *answers, "--no-proof")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_input_that_ends_stops_the_quiz_with_the_score_so_far():
    q1, = seeded(1)
    result = subprocess.run([sys.executable, "-m", "dojo", "quiz", "--questions", "1,2", "--seed", str(SEED),
                             "--no-proof"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, env=quiz_env(),
                            input=f"{q1.answer}\n")
    assert result.returncode == 1, result.stderr
    assert "Input ended." in result.stdout
    assert "Score so far: 2/2 points" in result.stdout
    assert "Traceback" not in result.stderr


def test_listing_and_no_proof_runs_never_import_tensorflow():
    code = ("import sys\nfrom dojo import cli\n"
            "assert cli.main(['quiz', '--list']) == 0\n"
            "assert cli.main(['quiz', '--questions', '1', '--answers', 'A,B', '--no-proof']) == 0\n"
            "heavy = [m for m in ('tensorflow', 'keras') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env=quiz_env(), stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr


@pytest.mark.timeout(180)
def test_a_proof_runs_after_the_question_and_prints_its_numbers():
    q, = seeded(next(q.number for q in QUIZ.questions if q.proof == "optimizer_string_resets_learning_rate"))
    result = run_quiz("--questions", q.id, "--seed", str(SEED), "--answers", q.answer, timeout=170)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("Why") < out.index("running the experiment...") < out.index("Claim:")
    assert "learning rate after compile(optimizer='adam')      0.001" in out
    assert f"The numbers support answer {q.answer}." in out
    assert "Traceback" not in result.stderr


# --- Ctrl-C and a real terminal -------------------------------------------------------------


def _read_until(stream_fd: int, seen: bytearray, token: bytes, timeout: float, after: int = 0) -> bool:
    """Read into `seen` until `token` appears at or after position `after`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if seen.find(token, after) >= 0:
            return True
        ready, _, _ = select.select([stream_fd], [], [], 0.1)
        if ready:
            try:
                data = os.read(stream_fd, 4096)
            except OSError:          # a pty reports EIO once the child has exited
                break
            if not data:
                break
            seen.extend(data)
    return seen.find(token, after) >= 0


def _reap(pid: int, timeout: float = 10) -> int:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return -9


@pytest.mark.skipif(os.name != "posix", reason="select() on pipes is POSIX only")
@pytest.mark.timeout(60)
def test_ctrl_c_while_waiting_for_an_answer_exits_130_with_the_score_so_far():
    q1, = seeded(1)
    process = subprocess.Popen([sys.executable, "-m", "dojo", "quiz", "--questions", "1,2,3", "--seed",
                                str(SEED), "--no-proof"],
                               cwd=ROOT, env=quiz_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        process.stdin.write(f"{q1.answer}\n".encode())
        process.stdin.flush()
        seen = bytearray()
        assert _read_until(process.stdout.fileno(), seen, b"Question 2/3", 30), bytes(seen)
        asked = seen.find(b"Question 2/3")
        assert _read_until(process.stdout.fileno(), seen, b"within", 10, after=asked), bytes(seen)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    out = bytes(seen).decode() + out.decode()
    assert process.returncode == 130
    assert "Interrupted." in out
    assert ("Score so far: 2/2 points (1 of 1 question right, 1 at the first attempt; "
            "2 of 3 still to go).") in out
    assert "Traceback" not in err.decode() and "KeyboardInterrupt" not in err.decode()


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
@pytest.mark.timeout(60)
def test_in_a_terminal_keys_answer_and_the_countdown_runs_out():
    import pty

    q1, q2 = seeded(1, 2)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the quiz on a terminal, 2 s per attempt, no colour
        try:
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "dojo", "quiz", "--questions", "1,2",
                                       "--seed", str(SEED), "--time-limit", "2", "--no-proof"],
                      quiz_env(COLUMNS="120"))
        finally:
            os._exit(127)
    seen = bytearray()
    try:
        assert _read_until(fd, seen, b"s left]", 30), bytes(seen)
        os.write(fd, q1.answer.lower().encode())          # one key, no Enter
        assert _read_until(fd, seen, b"Press a key for the next question", 10), bytes(seen)
        os.write(fd, b" ")
        # Question 2: no key at all, so both attempts run out.
        assert _read_until(fd, seen, b"The answer is", 20), bytes(seen)
        assert _read_until(fd, seen, b"badge needs", 10), bytes(seen)
    finally:
        code = _reap(pid)
        os.close(fd)
    raw = bytes(seen).decode("utf-8", "replace")
    out = re.sub(r"\x1b\[[0-9;]*m", "", raw)
    assert code == 0
    assert "Right: 2 points." in out
    assert out.count("Time's up after 2 s") == 2
    assert flat(q2.hint)[:40] in flat(out)
    # The countdown refreshes its line in place, second by second.
    assert re.search(r"\r\s*Your answer \(A-D, q to quit\) \[\s*1 s left\]", out)
    assert "Score: 2/4 points" in out
    # NO_COLOR: styles such as bold may remain, colours may not.
    assert "\x1b[1m" in raw and not re.search(r"\x1b\[(?:\d+;)*3\dm", raw)


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
@pytest.mark.timeout(60)
def test_in_a_terminal_ctrl_c_restores_it_and_exits_130():
    import pty
    import termios

    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "dojo", "quiz", "--questions", "1,2",
                                       "--no-proof"], quiz_env())
        finally:
            os._exit(127)
    seen = bytearray()
    try:
        assert _read_until(fd, seen, b"s left]", 30), bytes(seen)
        os.write(fd, b"\x03")                      # Ctrl-C, as the terminal sends it
        assert _read_until(fd, seen, b"Score so far", 10), bytes(seen)
        settings = termios.tcgetattr(fd)           # the quiz gave the terminal back as it was
    finally:
        code = _reap(pid)
        os.close(fd)
    out = re.sub(r"\x1b\[[0-9;]*m", "", bytes(seen).decode("utf-8", "replace"))
    assert code == 130
    assert "Interrupted." in out and "Score so far: 0/0 points" in out
    assert "Traceback" not in out
    assert settings[3] & termios.ICANON and settings[3] & termios.ECHO
