"""The kata loop from a notebook cell (Jupyter, Colab): `from dojo import kata`, then

    kata.run(3)       # kata 3's tests on katas/k03_...py: the same result, failure explanation
                      # and freeze map as `make kata N=3`; returns True when it passes
    kata.hint(3)      # the next hint (kata.hint(3, all=True): every hint)
    kata.inspect(3)   # the freeze maps of kata 3's models under your code

`run` and `inspect` run the kata in a process of their own (`python -m dojo ...`), never in the
notebook's kernel: the tests then read the kata file as it is on disk now (no stale import), a hang
cannot freeze the kernel, and TensorFlow ops the notebook ran cannot make test workers unsafe.
Their output keeps its colours (rich's ANSI codes, which notebooks render). `hint` runs here.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

from dojo import catalog, learner


def _dojo(*args: str) -> int:
    """Run `python -m dojo ARGS` from the kit's folder and print what it prints, as it comes."""
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": os.environ.get("COLUMNS", "110"),
           "TF_CPP_MIN_LOG_LEVEL": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "dojo", *args], cwd=catalog.ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        print(line, end="", flush=True)
    return proc.wait()


def run(number: int | str) -> bool:
    """Run kata `number`'s tests against your katas/ file; True when every test passes."""
    catalog.find(number)  # an unknown kata fails here, with the list of katas
    return _dojo("run", str(number)) == 0


def inspect(number: int | str) -> None:
    """Print the freeze maps of the kata's models, computed under your katas/ code."""
    catalog.find(number)
    _dojo("inspect", str(number))


def hint(number: int | str, all: bool = False) -> None:  # noqa: A002 (the CLI's own word)
    """Print the kata's hints up to the next one not seen yet (or every hint)."""
    learner.cmd_hint(argparse.Namespace(kata=number, all=all))
