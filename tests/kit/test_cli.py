"""The command line answers people: clear one-line errors with exit 2, progressive hints."""
import re
import subprocess
import sys

import pytest

from dojo import catalog

ROOT = catalog.ROOT


def dojo(*args, env_extra=None, tmp_path=None):
    import os

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "dojo", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.mark.parametrize("args", [("run", "99"), ("run", "nope"), ("run",), ("hint", "0")])
def test_an_unknown_or_missing_kata_is_a_one_line_error_with_exit_2(args):
    result = dojo(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr + result.stdout


def test_an_unknown_kata_error_lists_every_kata():
    result = dojo("run", "42")
    for kata in catalog.load():
        assert kata.slug in result.stderr


def test_hints_come_one_at_a_time_and_are_remembered(tmp_path):
    env = {"DOJO_STATE_DIR": str(tmp_path)}
    hints = catalog.find(2).hints
    first = dojo("hint", "2", env_extra=env)
    assert first.returncode == 0
    assert "Hint 1/" in first.stdout and "Hint 2/" not in first.stdout
    second = dojo("hint", "2", env_extra=env)
    assert "Hint 2/" in second.stdout
    every = dojo("hint", "2", "--all", env_extra=env)
    assert f"Hint {len(hints)}/{len(hints)}" in every.stdout


def test_a_hint_shows_its_code_as_written(tmp_path):
    """Square brackets in a hint are code (`x[-k:]`), not markup for the terminal to eat."""
    env = {"DOJO_STATE_DIR": str(tmp_path), "COLUMNS": "2000"}  # no wrapping inside the code
    with_brackets = [k for k in catalog.load() if any("[" in h for h in k.hints)]
    assert with_brackets, "no hint has square brackets: this test checks nothing"
    shown = " ".join(dojo("hint", str(k.number), "--all", env_extra=env).stdout for k in with_brackets)
    for kata in with_brackets:
        for hint in kata.hints:
            for code in re.findall(r"`([^`]*\[[^`]*)`", hint):
                assert code in shown, code


def test_make_kata_with_an_unknown_number_fails_with_the_list():
    result = subprocess.run(["make", "--no-print-directory", "kata", "N=99",
                             f"VENV={sys.prefix}"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert "There is no kata '99'" in result.stderr
    assert "Traceback" not in result.stderr


def test_make_kata_on_the_stub_names_the_file_and_fails_with_advice():
    kata = catalog.find(1)
    result = subprocess.run(["make", "--no-print-directory", "kata", "N=1", f"VENV={sys.prefix}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    out = result.stdout
    if "not done yet" not in out:
        pytest.skip("katas/k01 has been solved in this checkout")
    assert result.returncode != 0
    assert kata.title in out and f"katas/{kata.id}.py" in out
    assert "make hint N=1" in out
    assert "Traceback" not in out and "site-packages" not in out
