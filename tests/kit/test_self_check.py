"""rustlings' `dev check`, widened: every stub fails its kata's tests, every wrong answer kept
in tests/wrong/ is rejected by at least one of them (the solutions run in the main session), and
every requirement of a kata's statement is traced to the test that judges it and to a wrong answer
that breaks only it, which that very test rejects.

All variants run in one child pytest (one TensorFlow import); each expectation below is then a
test of its own, so a report names the kata and the wrong answer that slipped through.
"""
import pytest

from dojo import catalog, verify

KATAS = catalog.load()
CASES = [(kata, name) for kata in KATAS
         for name, _ in catalog.variants(kata, ("stub", "right", "wrong"))]


@pytest.fixture(scope="module")
def self_check():
    check = verify.run_variants("stub,right,wrong", KATAS)
    proc = check.process
    assert check.variants, f"the variant run produced no results:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return check


@pytest.fixture(scope="module")
def verdicts(self_check):
    return {(v.kata.number, v.variant): (v, self_check.process) for v in self_check.variants}


@pytest.mark.parametrize("kata,variant", CASES, ids=[f"{k.id}-{v}" for k, v in CASES])
def test_stubs_and_wrong_answers_fail_and_other_right_answers_pass(verdicts, kata, variant):
    verdict, proc = verdicts[(kata.number, variant)]
    assert verdict.passed + verdict.failed > 0, f"no test of {kata.id} ran for {variant}"
    if verdict.expected_to_pass:
        assert verdict.failed == 0, f"{variant} of {kata.id} is correct but failed: {verdict.first_failure}"
    else:
        assert verdict.failed > 0, (
            f"{variant} of {kata.id} passed all {verdict.passed} tests: the tests miss this mistake")


def test_failure_messages_speak_in_model_terms_without_tracebacks(verdicts):
    messages = [v.first_failure for v, _ in verdicts.values()]
    assert messages
    for text in messages:
        assert "Traceback" not in text and "site-packages" not in text, text


@pytest.mark.parametrize("kata", KATAS, ids=[k.id for k in KATAS])
def test_every_requirement_is_traced_to_a_test_and_every_wrong_answer_to_a_requirement(kata):
    assert verify.tracing_problems(kata) == []


@pytest.mark.parametrize("kata", KATAS, ids=[k.id for k in KATAS])
def test_each_requirements_test_rejects_the_wrong_answers_that_break_it(self_check, kata):
    found = [r for r in self_check.requirements if r.requirement.kata is kata]
    assert found, f"{kata.id} has no requirement"
    for r in found:
        assert r.ok, (f"{kata.id}: requirement {r.requirement.text!r}: wrong answer(s) "
                      f"{', '.join(r.slipped)} passed {r.requirement.test}")
