"""rustlings' `dev check`, widened: every stub fails its kata's tests, and every wrong answer kept
in tests/wrong/ is rejected by at least one of them (the solutions run in the main session).

All variants run in one child pytest (one TensorFlow import); each expectation below is then a
test of its own, so a report names the kata and the wrong answer that slipped through.
"""
import pytest

from dojo import catalog, plugin, verify

KATAS = catalog.load()
CASES = [(kata, name) for kata in KATAS
         for name, _ in plugin.variants(kata, ("stub", "right", "wrong"))]


@pytest.fixture(scope="module")
def verdicts():
    found, proc = verify.run_variants("stub,right,wrong", KATAS)
    assert found, f"the variant run produced no results:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return {(v.kata.number, v.variant): (v, proc) for v in found}


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
