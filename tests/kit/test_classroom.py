"""GitHub Classroom autograding: the generated workflow is current and in Classroom's format, and it
grades right: solutions -> full points, stubs -> zero, one kata wrong -> every point but that kata's.

Two engines run the workflow on a copy of this repository (so katas/ here is never touched):
* the real grader actions, their own Node code (dist/main.js at tag v1), run with node exactly as
  GitHub Actions would (INPUT_* variables from the workflow, a GITHUB_OUTPUT file), when a mirror
  of the actions is present: the folder named by CLASSROOM_ACTIONS_MIRROR holding
  classroom-resources+autograding-command-grader/repo and ...-grading-reporter/repo (bare git
  directories or checkouts). Their code is exported to a temporary folder, never committed
  (dojo/classroom/real_actions.py, which `make bench-classroom` uses too).
* dojo.classroom's Python simulation of the same actions (what `make grade` uses), always: the
  solutions and stubs scenarios directly, the one-wrong scenario through `make grade`.
Small fake workflows check that both engines agree on statuses, scores, messages and points.
Every scenario runs all katas; the copy's warm runner imports TensorFlow once for all of them.
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from dojo import catalog, warm
from dojo.classroom import actions as simulated
from dojo.classroom import grading, real_actions, release, workflow_file
from dojo.classroom import workflow as generated

ROOT = catalog.ROOT
KATAS = catalog.load()


# --- the generated files ---------------------------------------------------------------------


def test_the_generated_workflow_and_legacy_json_are_up_to_date():
    stale = generated.write_files(check=True)
    assert not stale, f"{stale} out of date: run `python -m dojo classroom` and commit the result"


def test_the_classroom_verb_reports_a_stale_workflow(tmp_path):
    copy = release.copy_checkout(tmp_path / "repo")
    (copy / generated.WORKFLOW_FILE).write_text("name: edited by hand\n")
    check = subprocess.run([sys.executable, "-m", "dojo", "classroom", "--check"], cwd=copy,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 1 and "out of date" in check.stderr
    write = subprocess.run([sys.executable, "-m", "dojo", "classroom"], cwd=copy, capture_output=True,
                           text=True, timeout=120)
    assert write.returncode == 0
    assert (copy / generated.WORKFLOW_FILE).read_text() == generated.workflow_text(KATAS)


def committed_workflow():
    return workflow_file.parse_yaml((ROOT / generated.WORKFLOW_FILE).read_text())


def test_the_workflow_has_classroom_s_shape():
    data = committed_workflow()
    assert data["name"] == "Autograding Tests"
    assert data["on"] == ["push", "repository_dispatch"]
    assert data["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    (job,) = data["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest" and job["if"] == "github.actor != 'github-classroom[bot]'"
    checkout, python, install, *graders, reporter = job["steps"]
    assert checkout["uses"] == "actions/checkout@v4"
    assert python["uses"] == "actions/setup-python@v5" and python["with"]["cache"] == "pip"
    assert install["run"] == "python -m pip install -e ."
    assert len(graders) == len(KATAS)
    for kata, step in zip(KATAS, graders):
        given = step["with"]
        assert step["id"] == f"kata-{kata.number:02d}"
        assert step["uses"] == "classroom-resources/autograding-command-grader@v1"
        assert given["max-score"] == kata.points
        assert set(given) == {"test-name", "setup-command", "command", "timeout", "max-score"}
        assert given["command"].endswith(f"python -m dojo run {kata.number} --warm")
        # the step's limit (minutes) covers the warm runner's hard deadline plus TensorFlow's import
        assert given["timeout"] * 60 >= kata.hard_deadline + 60
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    ids = [step["id"] for step in graders]
    assert reporter["with"]["runners"] == ",".join(ids)
    assert list(reporter["env"]) == [f"{i.upper()}_RESULTS" for i in ids]
    for i, value in zip(ids, reporter["env"].values()):
        assert value.startswith(f"${{{{ steps.{i}.outputs.result || '")


def test_commands_carry_every_variable_inline():
    """The command grader passes only PATH and HOME: a command must name what else it needs."""
    for step in generated.grader_steps(KATAS):
        assignments, rest = re.match(r"^((?:[A-Z_]+=\S+ )*)(.*)$", step.command).groups()
        assert "TF_CPP_MIN_LOG_LEVEL=2" in assignments
        assert rest.startswith("python -m dojo run ")
        assert "$" not in step.command and "&&" not in step.command and ";" not in step.command


def test_the_legacy_json_has_the_same_tests_points_and_minutes():
    legacy = json.loads((ROOT / generated.LEGACY_FILE).read_text())["tests"]
    steps = generated.grader_steps(KATAS)
    assert [(t["name"], t["run"], t["timeout"], t["points"]) for t in legacy] == \
        [(s.test_name, s.command, s.timeout, s.max_score) for s in steps]
    assert all(isinstance(t["timeout"], int) for t in legacy), "the legacy grader takes whole minutes"


def test_the_workflow_reads_back_to_the_generated_steps():
    text = (ROOT / generated.WORKFLOW_FILE).read_text()
    read = workflow_file.read_workflow(text)
    assert read.grader_steps == generated.grader_steps(KATAS)
    assert read.install_commands == [generated.INSTALL_COMMAND]


def test_the_yaml_reader_rejects_what_it_does_not_understand():
    with pytest.raises(generated.WorkflowError):
        workflow_file.parse_yaml("a: &anchor 1\n")
    with pytest.raises(generated.WorkflowError):
        workflow_file.parse_yaml("a:\n  b: 1\n   c: 2\n")
    assert workflow_file.parse_yaml("k: 'it''s: fine'\nl:\n  - x: 1\n    y: [a, b]\n") == \
        {"k": "it's: fine", "l": [{"x": 1, "y": ["a", "b"]}]}


def test_a_missing_result_costs_its_kata_only_and_never_crashes_the_reporter():
    steps = generated.grader_steps(KATAS)
    env_template = workflow_file.read_workflow(generated.workflow_text(KATAS)).reporter_env
    passed = {s.id: generated.encode(simulated.command_grader_result(s, "pass")) for s in steps}
    del passed[steps[1].id]  # that step crashed or was cancelled: no output at all
    report = simulated.reporter(",".join(s.id for s in steps), workflow_file.resolve_env(env_template, passed))
    total = sum(k.points for k in KATAS)
    assert report.points_line == f"Points {total - KATAS[1].points}/{total}"
    assert "did not finish" in report.text
    with pytest.raises(simulated.ReporterCrash):  # what the fallback protects against
        simulated.reporter(",".join(s.id for s in steps), {})


# --- the engines: the real actions (Node) and the Python simulation ---------------------------


@pytest.fixture(scope="module")
def actions(tmp_path_factory):
    reason = real_actions.unavailable()
    if reason:
        pytest.skip(reason)
    found = real_actions.export(tmp_path_factory.mktemp("actions"))
    if found is None:
        pytest.skip(f"no mirror of the Classroom grader actions under {real_actions.mirror()}")
    return found


node_grader_step = real_actions.grader_step
node_reporter = real_actions.reporter
run_with_node = real_actions.run_workflow


def run_with_python(repo: pathlib.Path) -> dict:
    report = grading.grade(root=repo, echo=lambda *_: None)
    return {"points": (report.total, report.maximum),
            "rows": {runner: float(sum(t["score"] for t in r["tests"])) for runner, r in report.rows},
            "failed": report.failed, "stdout": report.text,
            "results": dict(report.rows)}


# --- both engines agree, on quick fake workflows ----------------------------------------------


FAKE_STEPS = [
    generated.GraderStep("t-pass", "passes", "exit 0", 1, 3),
    generated.GraderStep("t-fail", "fails", "exit 3", 1, 4),
    generated.GraderStep("t-env", "sees only PATH and HOME", 'test -z "$DOJO_SECRET_PROBE" && test -n "$HOME"', 1, 5),
    generated.GraderStep("t-slow", "runs out of time", "sleep 5", 0.02, 6),
    generated.GraderStep("t-setup", "failing setup", "exit 0", 1, 7, setup_command="exit 1"),
]


def _fake_workflow(steps) -> str:
    lines = ["jobs:", "  j:", "    steps:"]
    for s in steps:
        lines += [f"      - id: {s.id}", f"        uses: {generated.COMMAND_GRADER}", "        with:",
                  f"          test-name: {generated._q(s.test_name)}",
                  f"          setup-command: {generated._q(s.setup_command)}",
                  f"          command: {generated._q(s.command)}",
                  f"          timeout: {generated._number(s.timeout)}", f"          max-score: {s.max_score}"]
    lines += ["      - uses: " + generated.REPORTER, "        env:"]
    lines += [f"          {generated.results_variable(s.id)}: {json.dumps(generated.reporter_expression(s))}"
              for s in steps]
    lines += ["        with:", f"          runners: {generated._q(','.join(s.id for s in steps))}"]
    return "\n".join(lines) + "\n"


def _comparable(result: dict) -> dict:
    tests = [{k: v for k, v in t.items() if k != "duration"} for t in result["tests"]]
    return {**result, "tests": tests}


def test_the_simulation_matches_the_real_actions_on_fake_steps(actions, tmp_path, monkeypatch):
    monkeypatch.setenv("DOJO_SECRET_PROBE", "must not reach the command")
    text = _fake_workflow(FAKE_STEPS)
    read = workflow_file.read_workflow(text)
    assert read.grader_steps == FAKE_STEPS
    (job,) = workflow_file.parse_yaml(text)["jobs"].values()
    node_outputs, python_outputs = {}, {}
    for step_yaml, step in zip(job["steps"], FAKE_STEPS):
        node_outputs[step.id] = node_grader_step(actions, step_yaml, tmp_path, tmp_path)
        result, _ = simulated.command_grader(step, cwd=tmp_path)
        python_outputs[step.id] = generated.encode(result)
        assert _comparable(generated.decode(node_outputs[step.id])) == _comparable(result), step.id
    by_id = {i: generated.decode(v)["tests"][0] for i, v in node_outputs.items()}
    assert [by_id[s.id]["status"] for s in FAKE_STEPS] == ["pass", "fail", "pass", "error", "fail"]
    assert by_id["t-slow"]["message"] == "Command timed out"
    # one step that never ran: the fallback keeps the reporter alive in both engines
    del node_outputs["t-pass"], python_outputs["t-pass"]
    real = node_reporter(actions, job["steps"][-1], node_outputs, tmp_path)
    python = simulated.reporter(read.runners, workflow_file.resolve_env(read.reporter_env, python_outputs))
    assert real["points"] == (python.total, python.maximum) == (5, 25), real["stdout"]
    assert real["rows"] == {r: float(sum(t["score"] for t in res["tests"])) for r, res in python.rows}
    assert real["failed"] and python.failed
    assert generated.MISSING_MESSAGE in real["stdout"]


def test_the_real_reporter_crashes_on_a_missing_result_as_the_simulation_says(actions, tmp_path):
    step = FAKE_STEPS[0]
    reporter_yaml = {"with": {"runners": f"{step.id},{FAKE_STEPS[1].id}"},
                     "env": {generated.results_variable(step.id): f"${{{{ steps.{step.id}.outputs.result }}}}"}}
    real = node_reporter(actions, reporter_yaml, {step.id: generated.encode(
        simulated.command_grader_result(step, "pass"))}, tmp_path)
    assert real["points"] is None, "without the fallback no points are reported at all"
    with pytest.raises(simulated.ReporterCrash):
        simulated.reporter(reporter_yaml["with"]["runners"],
                           {generated.results_variable(step.id): "x"})


# --- the real workflow on a copy of this repository -------------------------------------------


def _wrong_kata():
    """A kata with a wrong answer kept in tests/wrong (not the first step, which starts the runner)."""
    for kata in KATAS[1:] + KATAS[:1]:
        if kata.wrong_answers():
            return kata, kata.wrong_answers()[0]
    pytest.skip("no kata has a wrong answer in tests/wrong")


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A copy of this repository (its own warm runner: the socket is derived from its path, and the
    grader passes no DOJO_WARM_SOCKET); the runner is stopped afterwards."""
    copy = release.copy_checkout(tmp_path_factory.mktemp("classroom") / "repo")
    stubs = {k.id: (copy / "katas" / k.kata_file.name).read_bytes() for k in KATAS}
    home = copy.parent / "home"
    home.mkdir()
    yield {"path": copy, "stubs": stubs, "home": home}
    warm.stop(warm.socket_path(copy))


def use(repo, scenario: str):
    """Put the scenario's files into the copy's katas/; return the expected points per step."""
    wrong_kata, wrong_file = _wrong_kata()
    expected = {}
    for kata in KATAS:
        target = repo["path"] / "katas" / kata.kata_file.name
        if scenario == "stubs":
            target.write_bytes(repo["stubs"][kata.id])
            expected[generated.step_id(kata)] = 0
        elif scenario == "one wrong" and kata == wrong_kata:
            shutil.copy(wrong_file, target)
            expected[generated.step_id(kata)] = 0
        else:
            shutil.copy(repo["path"] / "solutions" / kata.solution_file.name, target)
            expected[generated.step_id(kata)] = kata.points
    return expected


SCENARIOS = ["solutions", "stubs", "one wrong"]


def _check(report: dict, expected: dict, engine: str, scenario: str):
    total = sum(k.points for k in KATAS)
    wrong = {step: result for step, result in report["results"].items()
             if sum(t["score"] for t in result["tests"]) != expected.get(step)}
    detail = f"{engine}, {scenario}: {json.dumps(wrong)[:1500]}\n{report['stdout'][-2500:]}"
    assert report["rows"] == {step: float(points) for step, points in expected.items()}, detail
    assert report["points"] == (sum(expected.values()), total), detail
    assert report["failed"] == (sum(expected.values()) != total), detail


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_real_actions_grade_the_workflow(actions, repo, scenario):
    expected = use(repo, scenario)
    report = run_with_node(actions, repo["path"], repo["home"])
    _check(report, expected, "node", scenario)
    # the Python reporter reads the same step outputs to the same points
    outputs = {i: generated.encode(r) for i, r in report["results"].items()}
    read = workflow_file.read_workflow((repo["path"] / generated.WORKFLOW_FILE).read_text())
    python = simulated.reporter(read.runners, workflow_file.resolve_env(read.reporter_env, outputs))
    assert (python.total, python.maximum) == report["points"]


@pytest.mark.parametrize("scenario", ["solutions", "stubs"])
def test_the_simulation_grades_the_workflow(repo, scenario):
    expected = use(repo, scenario)
    _check(run_with_python(repo["path"]), expected, "python", scenario)


def test_make_grade_with_one_kata_wrong_gives_every_point_but_that_kata_s(repo):
    """The simulation's third scenario, through `make grade` in the copy: the workflow's commands,
    the per-kata lines, `Points X/Y`, exit 1 below full points, and where to look."""
    expected = use(repo, "one wrong")
    wrong, _ = _wrong_kata()
    proc = subprocess.run(["make", "--no-print-directory", "grade", f"VENV={sys.prefix}"],
                          cwd=repo["path"], capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "COLUMNS": "200"})
    total = sum(k.points for k in KATAS)
    assert proc.returncode != 0, proc.stdout[-3000:] + proc.stderr[-3000:]  # grade exits 1
    assert f"Points {total - wrong.points}/{total}" in proc.stdout, proc.stdout[-3000:]
    lines = re.findall(r"^(kata-\d+)\s+(\w+)\s+(\d+)/(\d+)", proc.stdout, flags=re.M)
    assert {i: int(got) for i, _, got, _ in lines} == expected
    assert f"make kata N={wrong.number}" in proc.stdout
