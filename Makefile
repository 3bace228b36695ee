# Thin wrappers around `python -m dojo VERB`; the kata catalog (dojo/catalog.toml) is the only
# list of katas. The first target that needs Python creates .venv and installs the project there.
#
#   make setup           create .venv and install (any other target does it when needed)
#   make kata N=3        run kata 3's tests against your katas/ file
#   make watch N=3       re-run kata 3 on every save (TensorFlow kept warm)
#   make hint N=3        the next hint for kata 3 (ALL=1: every hint)
#   make list            every kata and your status; make progress: points and the badge
#   make inspect N=3     freeze maps of kata 3's models under your code
#   make reset N=3       restore kata 3's stub (YES=1 skips the question; a backup is kept)
#   make solution N=3    the reference solution, once kata 3 passes (FORCE=1 to peek)
#   make pair N=3 NAMES="Ann <a@x.org>,Bob <b@y.org>" EVERY=5   watch mode for a pair
#   make bench           speed figures of the loop, written to BENCH.md
#   make bench-grading   students an hour for bulk grading, sandbox and not (BENCH.md)
#   make bench-classroom Classroom grading with the real grader actions vs one pytest run
#                        (needs node and CLASSROOM_ACTIONS_MIRROR; BENCH.md)
#   make quiz            a timed warm-up quiz; each answer proved by a live experiment
#                        (SET=practice: the practice set's five challenges; SEED=7 replays a run)
#   make test            everything CI checks (solutions pass, stubs fail, wrong answers rejected)
#   make portable        the numeric checks under both kernel paths (oneDNN off, then on)
#   make verify [N=3]    the kit self-check as tables: variants, then each requirement
#   make mutate [N=3]    mutation testing of solutions/: each mutant must fail a kata test
#   make matrix          the solutions' suite under several TensorFlow/Keras versions
#   make grade           the points, exactly as GitHub Classroom's autograding counts them
#   make classroom       regenerate .github/ (Classroom workflow) from the catalog
#   make release DEST=dir                                  the student template (instructors)
#   make grade SUBMISSION=dir                              one checkout, in the sandbox
#   make grade-submissions SUBMISSIONS=dir [OUT=grades.csv]  bulk grading, sandboxed (instructors)
#   make merge-grades CSVS="a.csv b.csv" [OUT=grades.csv]   merge the CSVs of grading shards
#
# VENV=/path/to/venv uses an existing environment (with the dependencies of pyproject.toml)
# instead of creating .venv.

VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python

ifeq ($(origin VENV),file)
ENV := $(VENV)/.kata-dojo-installed
else
ENV := check-venv
endif

.PHONY: help setup kata hint watch pair progress reset solution inspect bench bench-grading bench-classroom quiz list test portable verify \
	mutate readme matrix check-venv clean-venv

help:
	@sed -n '1,/^$$/p' Makefile

# uv, where it is installed, makes the environment faster than venv + pip (README: Where it runs).
UV := $(shell command -v uv 2>/dev/null)

$(VENV)/.kata-dojo-installed: pyproject.toml
	@echo "Setting up $(VENV) with TensorFlow (first run only; about a minute)$(if $(UV), with uv)..."
ifneq ($(UV),)
	@test -x $(PY) || $(UV) venv --quiet --seed --python $(PYTHON) $(VENV)
	@$(UV) pip install --quiet --python $(PY) -e . \
		|| { echo "error: installing into $(VENV) failed (see above); fix it and run make again" >&2; exit 2; }
else
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -e . \
		|| { echo "error: installing into $(VENV) failed (see above); fix it and run make again" >&2; exit 2; }
endif
	@touch $@

# The environment alone (the dev container runs this when it is created).
setup: $(ENV)
	@echo "Ready: make kata N=1"

check-venv:
	@test -x $(PY) || { echo "error: VENV=$(VENV) has no bin/python" >&2; exit 2; }
	@$(PY) -c "import importlib.util as u, sys; m=[n for n in ('tensorflow','keras','pytest','pytest_timeout','rich') if u.find_spec(n) is None]; m and sys.exit('error: VENV=$(VENV) lacks ' + ', '.join(m) + ': run $(PY) -m pip install -e .')"

kata: $(ENV)
	@$(PY) -m dojo run $(N)

hint: $(ENV)
	@$(PY) -m dojo hint $(N) $(if $(ALL),--all)

watch: $(ENV)
	@$(PY) -m dojo watch $(N)

pair: $(ENV)
	@$(PY) -m dojo pair $(N) --names "$(NAMES)" $(if $(EVERY),--every $(EVERY))

progress: $(ENV)
	@$(PY) -m dojo progress

reset: $(ENV)
	@$(PY) -m dojo reset $(N) $(if $(YES),--yes)

solution: $(ENV)
	@$(PY) -m dojo solution $(N) $(if $(FORCE),--force)

inspect: $(ENV)
	@$(PY) -m dojo inspect $(N)

bench: $(ENV)
	@$(PY) -m dojo bench $(if $(ONLY),--only $(ONLY))

bench-grading: $(ENV)
	@$(PY) -m dojo bench-grading $(if $(STUDENTS),--students $(STUDENTS))

bench-classroom: $(ENV)
	@$(PY) -m dojo bench-classroom $(if $(PAIRS),--pairs $(PAIRS))

quiz: $(ENV)
	@$(PY) -m dojo quiz $(if $(SET),--set $(SET)) $(if $(SEED),--seed $(SEED)) $(if $(Q),--questions $(Q)) $(ARGS)

list: $(ENV)
	@$(PY) -m dojo list

# The kit's own test dependencies (pyproject's `kit` extra), once per environment.
$(VENV)/.kit-deps-installed: pyproject.toml | $(ENV)
	@$(if $(UV),$(UV) pip install --quiet --python $(PY),$(PY) -m pip install --quiet --disable-pip-version-check) -e ".[kit]"
	@touch $@

test: $(ENV) $(VENV)/.kit-deps-installed
	$(PY) -m pytest --solutions --kit

# Every check that compares numbers (the zoo's weights file, the Keras fact checks, the quiz's
# proofs, the kata suite on the solutions), once with TensorFlow's own kernels and once with
# oneDNN's: two kernel paths are the closest stand-in for another CPU. CI runs it after `make test`.
NUMERIC_CHECKS := tests/kit/test_zoo.py tests/kit/test_keras_facts.py tests/kit/test_facts_*.py \
	tests/kit/test_quiz.py::test_the_proof_supports_the_keyed_answer tests/test_k*.py
portable: $(ENV)
	TF_ENABLE_ONEDNN_OPTS=0 $(PY) -m pytest -q --solutions --kit $(NUMERIC_CHECKS)
	TF_ENABLE_ONEDNN_OPTS=1 $(PY) -m pytest -q --solutions --kit $(NUMERIC_CHECKS)

verify: $(ENV)
	@$(PY) -m dojo verify $(N)

# Not part of `make test` or CI: about 500 mutants, several minutes. Cosmic Ray (the `dev` extra)
# is installed on first use, with the entry point of the dojo/ operators.
mutate: $(ENV)
	@$(PY) -c "import sys, cosmic_ray, importlib.metadata as m; sys.exit(not m.entry_points(group='cosmic_ray.operator_providers', name='dojo'))" 2>/dev/null \
		|| $(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@$(PY) -m dojo mutate $(N) $(if $(JOBS),--jobs $(JOBS)) $(if $(MATCH),--match "$(MATCH)")

matrix: $(ENV)
	@$(PY) -m dojo matrix $(if $(PAIRS),--pairs $(PAIRS))

readme: $(ENV)
	@$(PY) -m dojo readme

# GitHub Classroom (dojo/classroom/); ONLY=1-5 limits the katas.
.PHONY: grade classroom release grade-submissions merge-grades

grade: $(ENV)
	@$(PY) -m dojo grade $(if $(ONLY),--only $(ONLY)) $(if $(SANDBOX),--sandbox) \
		$(if $(SUBMISSION),--sandbox --submission $(SUBMISSION))

classroom: $(ENV)
	@$(PY) -m dojo classroom

release: $(ENV)
	@$(PY) -m dojo release $(DEST)

grade-submissions: $(ENV)
	@$(PY) -m dojo grade-submissions $(SUBMISSIONS) $(if $(OUT),--out $(OUT)) $(if $(ONLY),--only $(ONLY)) \
		$(if $(SHARD),--shard $(SHARD)) $(if $(NO_SANDBOX),--no-sandbox)

merge-grades: $(ENV)
	@$(PY) -m dojo merge-grades $(CSVS) $(if $(OUT),--out $(OUT))

clean-venv:
	rm -rf .venv
