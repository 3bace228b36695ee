"""The pytest plugin behind every kata test (loaded by the top-level conftest.py).

It decides which implementation a kata test exercises (the learner's `katas/`, the reference
`solutions/`, or, for the kit's self-check, every variant including the wrong answers), imports
it at run time inside the test's time limit, starts each test from a clean, seeded Keras session,
applies the catalog's time limits through pytest-timeout, turns failures into short advice in model
terms, and can write a machine-readable results file.
"""
from __future__ import annotations

import argparse
import ctypes
import importlib.util
import json
import linecache
import os
import pathlib
import random
import sys
import traceback

import pytest

from dojo import catalog, checks, isolation, progress, requirements, results
from dojo.checks import KataFailure

# TensorFlow and Keras are imported in the fixtures that reset them: collecting the kit's own tests
# and the parent of the test workers must not start TensorFlow (see isolation.py).

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

TEST_SEED = 42
IMPLEMENTATIONS = ("katas", "solutions")
KIT_TESTS = catalog.ROOT / "tests" / "kit"
STOP_POLICIES = ("time-limit", "failure", "never")


def pytest_addoption(parser):
    group = parser.getgroup("kata-dojo")
    group.addoption("--solutions", action="store_true",
                    help="test the reference solutions/ instead of the learner's katas/")
    group.addoption("--variants", metavar="KINDS", default="",
                    help="kit self-check: run every kata test against several implementations; "
                         f"KINDS is 'all' or a comma list of {', '.join(catalog.VARIANT_KINDS)}")
    group.addoption("--kata-dir", metavar="DIR",
                    help="take the implementations from DIR/kNN_<slug>.py instead of katas/")
    group.addoption("--time-limit", metavar="LIMITS",
                    help="override the catalog's time limits: SECONDS for every kata, or "
                         "N=SECONDS[,N=SECONDS...] for some")
    group.addoption("--no-isolate", action="store_true",
                    help="run kata tests in this process (the default on Linux is forked "
                         "worker processes, one kata per worker, with a hard time limit per test, "
                         "so a hang inside TensorFlow or a changed global setting costs only "
                         "that test)")
    group.addoption("--workers", metavar="MODE", type=_workers_option,
                    help="how isolated kata tests run: N workers at once (default: the number of "
                         "cores, at most 4), started by 'fork' (the default on Linux) or 'spawn' "
                         "(fresh interpreters: the default elsewhere, where fork after importing "
                         "TensorFlow is unsafe), e.g. --workers spawn, --workers fork:2, "
                         "--workers 1; DOJO_WORKERS=spawn sets the mode too")
    group.addoption("--shuffle", metavar="SEED", type=int,
                    help="run the tests in a random order (to prove they do not depend on it)")
    group.addoption("--inspect", action="store_true",
                    help="print the freeze map of every model a kata test checks, pass or fail")
    group.addoption("--learner", action="store_true",
                    help="learner view: the first failure in full, later ones in one line each")
    group.addoption("--traced-tests-only", action="store_true",
                    help="with --variants: run a wrong answer only on the test its requirement "
                         "names (see dojo/requirements.py), which is all the self-check judges")
    group.addoption("--kit", action="store_true",
                    help="also collect the repository's own tests in tests/kit/")
    group.addoption("--results", metavar="PATH",
                    help="write a JSON results file (per test: kata, variant, status, message)")
    group.addoption("--results-fd", metavar="FD", type=int,
                    help="write the JSON results to this inherited file descriptor instead: the "
                         "grader's channel, which the test workers (where the code under test "
                         "runs) close before running anything")
    group.addoption("--kata-stop", choices=STOP_POLICIES, default="time-limit",
                    help="when the rest of a kata's tests are reported as not run: after one hits "
                         "its time limit (the default: a hang costs one limit, not one per test), "
                         "after any failure (bulk grading, where a kata scores all or nothing), "
                         "or never (the full picture, as the kit's self-check wants)")


def implementation(config) -> str:
    """'katas' or 'solutions': what plain kata tests exercise in this run."""
    if config.getoption("--solutions"):
        return "solutions"
    chosen = os.environ.get("KATA_IMPL", "katas").strip() or "katas"
    if chosen not in IMPLEMENTATIONS:
        raise pytest.UsageError(f"KATA_IMPL must be one of {IMPLEMENTATIONS}, not {chosen!r}")
    return chosen


def pytest_configure(config):
    implementation(config)  # reject a bad KATA_IMPL before anything runs
    wanted_kinds(config.getoption("--variants") or "all")
    parse_time_limits(config.getoption("--time-limit"))
    config.addinivalue_line("markers", "kata(number): set by the plugin on every kata test")
    config._kata_results = []
    config._kata_shown_failures = []
    config._kata_in_child = False
    config._kata_freeze_maps = []
    config._kata_catalog = catalog.load()
    if config.getoption("--results-fd") is not None:
        _keep_others_out()


def _keep_others_out() -> None:
    """Make this process non-dumpable: other processes of the same user (the test workers, where
    the code under test runs) can then neither read its memory nor reopen its file descriptors
    through /proc, so the results channel stays this process's own. Linux only."""
    if sys.platform.startswith("linux"):
        PR_SET_DUMPABLE = 4
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def pytest_ignore_collect(collection_path, config):
    path = pathlib.Path(collection_path)
    if path == KIT_TESTS and not config.getoption("--kit"):
        return True
    if path.parent == catalog.ROOT / "tests" and path.name in ("wrong", "right"):
        return True
    return None


# --- which implementation --------------------------------------------------------------------


def _kata_of(node) -> catalog.Kata | None:
    return catalog.kata_for_test_path(node.path, node.config._kata_catalog)


def wanted_kinds(option: str) -> tuple[str, ...]:
    """Parse --variants (catalog.variant_kinds), as a pytest usage error."""
    try:
        return catalog.variant_kinds(option)
    except catalog.UsageProblem as problem:
        raise pytest.UsageError(f"--variants: {problem}") from None


def pytest_generate_tests(metafunc):
    option = metafunc.config.getoption("--variants")
    if "kata" not in metafunc.fixturenames or not option:
        return
    kata = _kata_of(metafunc.definition)
    if kata is None:
        return
    found = catalog.variants(kata, wanted_kinds(option))
    if metafunc.config.getoption("--traced-tests-only"):
        name = metafunc.function.__name__
        found = [(variant, path) for variant, path in found if not variant.startswith("wrong-")
                 or requirements.test_judging(kata, path.stem) in (None, name)]
    metafunc.parametrize("kata_variant", [path for _, path in found],
                         ids=[name for name, _ in found], scope="function")


@pytest.fixture
def kata_variant(request) -> pathlib.Path:
    """The file a kata test imports: parametrized in --variants mode, else katas/ or solutions/."""
    if hasattr(request, "param"):
        return request.param
    kata = _kata_of(request.node)
    if kata is None:
        raise pytest.UsageError(f"{request.node.path.name} is not named test_kNN_<slug>.py")
    return _default_file(request.config, kata)


def _default_file(config, kata: catalog.Kata) -> pathlib.Path:
    other_dir = config.getoption("--kata-dir")
    if other_dir:
        return pathlib.Path(other_dir).resolve() / kata.kata_file.name
    return kata.solution_file if implementation(config) == "solutions" else kata.kata_file


def file_under_test(item) -> pathlib.Path | None:
    """The file item's `kata` fixture imports (known before the test runs)."""
    param = _variant_param(item)
    if param is not None:
        return pathlib.Path(param)
    kata = _kata_of(item)
    return _default_file(item.config, kata) if kata is not None else None


def _variant_param(item):
    """The file --variants parametrized this item with, or None outside that mode."""
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("kata_variant") if callspec is not None else None


@pytest.fixture
def kata(request, kata_variant):
    """The module under test, imported now (inside the time limit), never at collection time."""
    info = _kata_of(request.node)
    return load_module(kata_variant, info.functions if info else ())


def load_module(path: pathlib.Path, functions=()):
    shown = _shown(path)
    if not path.exists():
        where = "solutions/ is not part of this copy" if path.parent.name == "solutions" else "it is missing"
        pytest.fail(f"cannot test {shown}: {where}", pytrace=False)
    name = f"_kata_under_test_.{path.parent.name}.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        pytest.fail(f"{shown} line {error.lineno}: SyntaxError: {error.msg}\n"
                    f"    {(error.text or '').rstrip()}", pytrace=False)
    except Exception as error:  # the learner's module failed while importing
        pytest.fail(f"importing {shown} raised {type(error).__name__}: {error}\n"
                    + _learner_frames(error, path), pytrace=False)
    missing = [f for f in functions if not callable(getattr(module, f, None))]
    if missing:
        pytest.fail(f"{shown} must define the function(s) {', '.join(missing)} "
                    f"(the name is part of the kata: keep it as in the stub)", pytrace=False)
    return module


def _shown(path: pathlib.Path) -> str:
    try:
        return str(pathlib.Path(path).resolve().relative_to(catalog.ROOT))
    except ValueError:
        return str(path)


# --- a clean, seeded session for every kata test ---------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_keras_session(request):
    if _kata_of(request.node) is None:
        yield
        return
    import keras

    _reset_global_settings()
    # free_memory=False skips a full gc.collect() (0.1-0.2 s a test); Python's own gc still runs.
    keras.backend.clear_session(free_memory=False)
    keras.utils.set_random_seed(TEST_SEED)
    yield
    _reset_global_settings()


def _reset_global_settings() -> None:
    """Undo global switches a learner's code may flip, so the next test does not inherit them
    (the next test of the same kata in a worker, or any test in --no-isolate mode)."""
    import keras
    import tensorflow as tf

    keras.mixed_precision.set_global_policy("float32")
    keras.config.set_floatx("float32")
    keras.config.set_epsilon(1e-7)
    tf.config.run_functions_eagerly(False)


def pytest_collection_modifyitems(session, config, items):
    """Apply each kata's time limit (from the catalog) unless a test sets its own; run kata tests
    before the kit's own tests (so --isolate forks before this process runs any TensorFlow op);
    shuffle with --shuffle."""
    seed = config.getoption("--shuffle")
    if seed is not None:
        random.Random(seed).shuffle(items)
    items.sort(key=lambda item: _kata_of(item) is None)  # stable: kata tests first
    for item in items:
        kata = _kata_of(item)
        if kata is None:
            continue
        item.add_marker(pytest.mark.kata(kata.number))
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(time_limit(config, kata)))


def time_limit(config, kata: catalog.Kata) -> float:
    every, per_kata = parse_time_limits(config.getoption("--time-limit"))
    return per_kata.get(kata.number, every or kata.time_limit)


def parse_time_limits(option: str | None) -> tuple[float | None, dict[int, float]]:
    """'5' -> (5, {}): every kata 5 s; '1=3,4=20' -> (None, {1: 3, 4: 20}): the rest as catalogued."""
    if not option:
        return None, {}
    try:
        if "=" not in option:
            return float(option), {}
        pairs = (item.split("=", 1) for item in option.split(",") if item.strip())
        return None, {int(number): float(seconds) for number, seconds in pairs}
    except ValueError:
        raise pytest.UsageError(f"--time-limit: expected SECONDS or N=SECONDS,..., got {option!r}") from None


# --- isolation: kata tests in forked workers with a hard limit ----------------------------------


def isolation_enabled(config) -> bool:
    """Everywhere (forked workers on Linux, spawned ones elsewhere), but for --no-isolate, --pdb
    (which needs the terminal) and inside a spawned worker (which runs what it is sent)."""
    return (not config.getoption("--no-isolate") and not config.getoption("usepdb", False)
            and not os.environ.get("DOJO_SPAWNED_WORKER"))


def _isolated(item) -> bool:
    return (isolation_enabled(item.config) and not item.config._kata_in_child
            and _kata_of(item) is not None)


def _workers_option(text: str) -> tuple[str | None, int | None]:
    """--workers: 'fork', 'spawn', N, or MODE:N -> (mode or None, count or None)."""
    text = text.strip().lower()
    if ":" in text:
        mode, count = text.split(":", 1)
    else:
        mode, count = ("", text) if text.isdigit() else (text, "")
    if (mode and mode not in isolation.MODES) or (count and (not count.isdigit() or int(count) < 1)):
        raise argparse.ArgumentTypeError(f"expected fork, spawn, a number or MODE:N, not {text!r}")
    return mode or None, int(count) if count else None


def workers(config) -> int:
    _, chosen = config.getoption("--workers") or (None, None)
    return max(1, chosen if chosen else min(os.cpu_count() or 1, 4))


def worker_mode(config) -> str:
    chosen, _ = config.getoption("--workers") or (None, None)
    return chosen or isolation.default_mode()


def _spawn_args(config, items, group_of):
    """A spawned worker's pytest arguments: collect the group's test files, with the options
    that choose what they test."""
    def args(group) -> list[str]:
        files = sorted({str(item.path) for item in items if group_of(item) == group})
        chosen = ["-q", "-p", "no:cacheprovider", "--no-isolate"]
        if config.getoption("--solutions"):
            chosen.append("--solutions")
        for option in ("--kata-dir", "--variants", "--time-limit"):
            value = config.getoption(option)
            if value:
                chosen.append(f"{option}={value}")
        return chosen + files

    return args


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session):
    """In isolation mode, kata tests run in forked workers, several at once, reported in order;
    the other tests (the kit's) then run as usual, in this process."""
    config = session.config
    if session.testsfailed and not config.option.continue_on_collection_errors:
        raise session.Interrupted(f"{session.testsfailed} error(s) during collection")
    if config.option.collectonly or not isolation_enabled(config):
        return None
    isolated = [item for item in session.items if _isolated(item)]
    others = [item for item in session.items if not _isolated(item)]

    def deliver(item, reports, sent):
        kata = _kata_of(item)
        if sent:
            # What a test is, its points included, is this process's to say; a worker (which runs
            # the code under test) only says how its own test went.
            identity = _result_identity(item, kata)
            config._kata_results.extend(
                results.entry(**{**identity, "status": str(entry.get("status")),
                                 "message": str(entry.get("message", "")),
                                 "duration": float(entry.get("duration", 0.0))})
                for entry in sent)
        else:  # killed or crashed: the child could not record its result
            config._kata_results.append(results.entry(
                **_result_identity(item, kata), status="fail", message=str(reports[0].longrepr),
                duration=round(reports[0].duration, 3)))
        item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
        for report in reports:
            if report.failed and config.getoption("--learner") and isinstance(report.longrepr, str):
                report.longrepr = _learner_view(config, report.longrepr)
            item.ihook.pytest_runtest_logreport(report=report)
        item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)

    def group_of(item):
        return _kata_of(item).number, _variant_name(item)

    durations = _Durations()
    isolation.run_many(isolated, lambda item: time_limit(config, _kata_of(item)), workers(config),
                       lambda item, reports, results: (durations.record(item, reports),
                                                       deliver(item, reports, results)),
                       should_stop=lambda: bool(session.shouldfail or session.shouldstop),
                       expected_seconds=durations.expected,
                       group_of=group_of,
                       where=lambda item, frames: where_in_file(file_under_test(item), frames),
                       stop_group=_stop_policy(config),
                       private_fds=[fd for fd in [config.getoption("--results-fd")] if fd is not None],
                       mode=worker_mode(config),
                       spawn_args=_spawn_args(config, isolated, group_of))
    durations.save()
    for index, item in enumerate(others):
        if session.shouldfail or session.shouldstop:
            break
        nextitem = others[index + 1] if index + 1 < len(others) else None
        item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
    if session.shouldfail:
        raise session.Failed(session.shouldfail)
    if session.shouldstop:
        raise session.Interrupted(session.shouldstop)
    return True


def _stop_policy(config):
    """`stop_group` for isolation.run_many, as --kata-stop asks."""
    policy = config.getoption("--kata-stop")

    def stop_group(reports):
        if policy != "never" and isolation.hit_time_limit(reports):
            return "an earlier test of this kata hit its time limit"
        if policy == "failure" and any(r.failed for r in reports):
            return "an earlier test of this kata failed (a kata scores all its points or none)"
        return None

    return stop_group


class _Durations:
    """How long each kata test took last time (.dojo/durations.json), so the next run can start
    the longest first: a re-run in watch mode then ends with the longest test instead of after it.
    Only a scheduling hint: a missing or unwritable file changes nothing but the order."""

    def __init__(self):
        self.path = progress.state_dir() / "durations.json"
        try:
            self.known = {str(k): float(v) for k, v in json.loads(self.path.read_text()).items()}
        except (OSError, ValueError, AttributeError, TypeError):
            self.known = {}
        self.changed = False

    def expected(self, item):
        return self.known.get(item.nodeid)

    def record(self, item, reports) -> None:
        self.known[item.nodeid] = round(sum(r.duration for r in reports), 3)
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        try:
            progress.write_atomically(self.path, json.dumps(self.known, indent=0, sort_keys=True))
        except OSError:
            pass


# --- readable failures and the results file ---------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    kata = _kata_of(item)
    if kata is None:
        return
    message = ""
    if report.failed and call.excinfo is not None:
        message = learner_message(item, call.excinfo, kata)
        if not _wants_full_traceback(item.config):
            report.longrepr = message
            if item.config.getoption("--learner") and not item.config._kata_in_child:
                report.longrepr = _learner_view(item.config, message)
            report.sections = [(t, c) for t, c in report.sections if t.startswith("Captured stdout")]
    if report.when == "call" or report.failed or report.skipped:
        _record(item, report, kata, message)


def _learner_view(config, message: str) -> str:
    """The first failure in full; later ones in one line, or a pointer when it is the same."""
    first_line = message.splitlines()[0] if message else ""
    shown = config._kata_shown_failures
    shown.append(first_line)
    if len(shown) == 1:
        return message
    if first_line in shown[:-1]:
        return "(the same problem as above)"
    return first_line


def _wants_full_traceback(config) -> bool:
    return bool(config.getoption("fulltrace", False)) or config.getoption("tbstyle", "auto") in ("long", "native")


def learner_message(item, excinfo, kata: catalog.Kata) -> str:
    error = excinfo.value
    path = file_under_test(item)
    if isinstance(error, KataFailure):
        return str(error)
    if isinstance(error, pytest.fail.Exception):
        text = str(error)
        if text.startswith("Timeout"):
            frames = _learner_frames(error, path) if path else ""
            where = f"\nYour code was here when the limit hit:\n{frames}" if frames else ""
            return (f"time limit of {time_limit(item.config, kata):g} s exceeded: the code did not "
                    f"finish in time (an endless loop, or far too much training?){where}")
        return text
    if isinstance(error, NotImplementedError) and _raised_in(error, path):
        shown = _shown(path) if path else kata.kata_file.name
        return f"not done yet: {shown} still raises NotImplementedError. {error}".rstrip()
    if isinstance(error, AssertionError):
        return str(error).split("\nassert ")[0]
    kind = type(error)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    frames = _learner_frames(error, path) if path else ""
    origin = "your code raised" if frames else "the test raised"
    text = str(error).strip()
    if len(text) > 800:
        text = text[:800] + " ..."
    return f"{origin} {name}: {text}\n{frames}".rstrip()


def _raised_in(error: BaseException, path) -> bool:
    """Whether the learner's own file raised `error` (the stub's "not done yet"), not a library
    it called (Keras raises NotImplementedError for things it does not support)."""
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and path is not None and pathlib.Path(frames[-1].filename) == pathlib.Path(path)


def call_learner(kata, function: str, *args, shown: str, note: str = ""):
    """`kata.<function>(*args)`, the learner's code on a model the statement allows: the stub's
    NotImplementedError passes through (reported as not done yet); any other exception becomes a
    KataFailure that names the call (`shown`), the error's first line, `note` (what the model
    is, what to look for) and the lines of the learner's file it came from."""
    try:
        return getattr(kata, function)(*args)
    except NotImplementedError:
        raise
    except Exception as error:
        first_line = (str(error).strip().splitlines() or [""])[0][:200]
        raise KataFailure("\n".join(part for part in (
            f"{shown} raised {type(error).__name__}: {first_line}", note,
            _learner_frames(error, kata.__file__)) if part)) from None


def _learner_frames(error: BaseException, path) -> str:
    """Only the traceback lines that point into the learner's file: where to look."""
    return where_in_file(path, [(frame.filename, frame.lineno, frame.name)
                                for frame in traceback.extract_tb(error.__traceback__)])


def where_in_file(path, frames) -> str:
    """The frames ((file, line, function), outermost first) that lie in the learner's file `path`,
    the innermost five, each with its line of code. Used for tracebacks and for the stack dumped
    by a worker killed at its time limit."""
    if path is None:
        return ""
    target = pathlib.Path(path).resolve()
    lines = [f"  {_shown(target)}:{line} in {name}\n      "
             f"{linecache.getline(str(target), line).strip()}"
             for file, line, name in frames if pathlib.Path(file).resolve() == target]
    return "\n".join(lines[-5:])


def _variant_name(item) -> str:
    return _variant_id(item) if _variant_param(item) is not None else implementation(item.config)


def _variant_id(item) -> str:
    path = _variant_param(item)
    kata = _kata_of(item)
    for name, candidate in catalog.variants(kata, catalog.VARIANT_KINDS):
        if candidate == path:
            return name
    return str(path)


def _result_identity(item, kata: catalog.Kata) -> dict:
    """The fields of a results entry that say which test it is."""
    return {"test": item.originalname if hasattr(item, "originalname") else item.name,
            "nodeid": item.nodeid, "kata": kata.number, "kata_id": kata.id,
            "variant": _variant_name(item), "points": kata.points}


def _record(item, report, kata: catalog.Kata, message: str) -> None:
    status = "pass" if report.passed else ("skip" if report.skipped else "fail")
    if report.when != "call" and status == "fail":
        status = "error"
    item.config._kata_results.append(results.entry(
        **_result_identity(item, kata), status=status, message=message,
        duration=round(report.duration, 3)))


@pytest.fixture(autouse=True)
def _collect_freeze_maps(request):
    """With --inspect, keep every freeze map the checks compute during this test."""
    if not request.config.getoption("--inspect") or _kata_of(request.node) is None:
        yield
        return
    def keep(title, table):
        request.config._kata_freeze_maps.append((request.node.name, title, table))

    checks.observers.append(keep)
    yield
    checks.observers.remove(keep)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    maps = getattr(config, "_kata_freeze_maps", [])
    if not config.getoption("--inspect"):
        return
    if not maps:
        terminalreporter.write_line("No freeze map was computed: the kata's code failed before any "
                                    "model was checked (run `make kata` to see why).")
    for test, title, table in maps:
        terminalreporter.write_sep("-", f"{test}: {title}")
        terminalreporter.write_line(table)


def pytest_sessionfinish(session, exitstatus):
    """Fail loudly when a collected kata test has no result (a lost worker, a crash), then write
    the results file."""
    reported = {entry["nodeid"] for entry in session.config._kata_results}
    collected = [item.nodeid for item in session.items if _kata_of(item) is not None]
    missing = [nodeid for nodeid in collected if nodeid not in reported]
    stopped_early = session.shouldfail or session.shouldstop or exitstatus == pytest.ExitCode.INTERRUPTED
    if missing and not stopped_early and not session.config.option.collectonly:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_line(f"ERROR: {len(missing)} collected kata test(s) have no result: "
                                + ", ".join(missing[:5]), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    text = results.document(exitstatus, session.config._kata_results)
    channel = session.config.getoption("--results-fd")
    if channel is not None and not session.config._kata_in_child:
        with os.fdopen(channel, "w") as out:
            out.write(text)
    target = session.config.getoption("--results")
    if not target:
        return
    pathlib.Path(target).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(target).write_text(text)
