"""Every example in a kata's lesson is true: each stub's docstring shows its example as a doctest
session (`>>> ` lines and what they print), and here it runs, with the reference solution's
functions in place of the stub's, on the installed Keras; what it prints must match.

One subprocess runs every kata's examples (they run TensorFlow ops, which this pytest process
keeps out of) and reports per kata; each kata is then a test of its own.
"""
import json
import subprocess
import sys
import textwrap

import pytest

from dojo import catalog

KATAS = catalog.load()

RUN_EXAMPLES = textwrap.dedent("""
    import doctest, importlib.util, io, json, os, sys
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import numpy as np
    from dojo import catalog

    def load(path):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    report = {}
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for kata in catalog.load():
        lesson = load(kata.kata_file).__doc__ or ""
        solution = load(kata.solution_file)
        globs = {"keras": keras, "np": np,
                 **{name: getattr(solution, name) for name in kata.functions}}
        test = doctest.DocTestParser().get_doctest(lesson, globs, kata.id, str(kata.kata_file), 0)
        keras.backend.clear_session()
        keras.utils.set_random_seed(0)
        out = io.StringIO()
        result = doctest.DocTestRunner(optionflags=flags).run(test, out=out.write)
        report[kata.id] = {"examples": len(test.examples), "failed": result.failed,
                           "output": out.getvalue()[-3000:]}
    print(json.dumps(report))
""")


@pytest.fixture(scope="module")
def report():
    proc = subprocess.run([sys.executable, "-c", RUN_EXAMPLES], cwd=catalog.ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kata", KATAS, ids=[k.id for k in KATAS])
def test_the_lessons_example_runs_and_prints_what_it_says(report, kata):
    found = report[kata.id]
    assert found["examples"] >= 2, (
        f"{kata.kata_file.name}: its Example should be a doctest session (`>>> ` lines followed "
        f"by what they print), so that this test can run it")
    assert found["failed"] == 0, f"{kata.kata_file.name}: the example does not hold:\n{found['output']}"
