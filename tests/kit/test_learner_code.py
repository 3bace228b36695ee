"""Bad learner code fails its own kata with a message that says what is wrong, never an internal
error of the machinery, and never hides another kata's result.

One child pytest runs a directory of broken implementations (through --kata-dir) next to a
correct one, so a single TensorFlow import covers every case.
"""
import collections
import json
import shutil
import subprocess
import sys

import pytest

from dojo import catalog

BROKEN = {
    1: "while True:  # loops forever at import time\n    pass\n",
    2: "def unfreeze_top_layers(base, k)\n    return base\n",  # syntax error
    3: "def compile_for_finetuning(model, base_learning_rate=1e-3):\n    return model\n",  # misspelt
    5: "def capacity_report(model):\n    return None\n",
}
CORRECT = 4  # its solution is copied in: it must still pass beside the broken ones


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    folder = tmp_path_factory.mktemp("learner")
    for number, source in BROKEN.items():
        (folder / catalog.find(number).kata_file.name).write_text(source)
    shutil.copy(catalog.find(CORRECT).solution_file, folder / catalog.find(CORRECT).kata_file.name)
    results = folder / "results.json"
    first_test_of_kata_1 = f"{catalog.find(1).test_file}::test_returns_the_same_model_with_its_weights"
    targets = [first_test_of_kata_1] + [str(catalog.find(n).test_file) for n in (2, 3, 4, 5)]
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           f"--kata-dir={folder}", "--time-limit=1=3", f"--results={results}",
                           *targets], cwd=catalog.ROOT, capture_output=True, text=True, timeout=600)
    tests = json.loads(results.read_text())["tests"]
    by_kata = collections.defaultdict(list)
    for test in tests:
        by_kata[test["kata"]].append(test)
    return by_kata, proc


def only_message(by_kata, number):
    runs = by_kata[number]
    assert runs, f"kata {number} reported nothing"
    assert all(t["status"] in ("fail", "error") for t in runs), runs
    return runs[0]["message"]


def test_a_module_that_loops_at_import_fails_on_its_time_limit(outcome):
    message = only_message(outcome[0], 1)
    assert message.startswith("time limit of 3 s exceeded")


def test_a_syntax_error_names_the_file_and_line(outcome):
    message = only_message(outcome[0], 2)
    assert "k02_unfreeze_top_layers.py line 1: SyntaxError" in message


def test_a_missing_function_is_named(outcome):
    message = only_message(outcome[0], 3)
    assert "must define the function(s) compile_for_fine_tuning" in message


def test_returning_none_says_what_was_expected(outcome):
    message = only_message(outcome[0], 5)
    assert "None" in message and "Traceback" not in message


def test_a_correct_kata_still_passes_beside_the_broken_ones(outcome):
    runs = outcome[0][CORRECT]
    assert runs and all(t["status"] == "pass" for t in runs), runs
