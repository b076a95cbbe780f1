# Developer entry points. Only python3 and make are needed; everything else goes into .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := $(CURDIR)/tests
# Bytecode of the collection and the tests is cached outside the tree: every ansible-playbook run and every worker
# it forks imports the collection's plugins again, and compiling them each time cost about a tenth of a run.
export PYTHONPYCACHEPREFIX := $(CURDIR)/.build/pycache
unexport PYTHONDONTWRITEBYTECODE
ARGS ?=
PYTEST_ARGS ?=

.PHONY: venv test test-functional test-functional-main test-functional-module test-captured test-gates leg-venvs emulator demo bench clean

venv: $(STAMP)

$(STAMP): requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

## all tests: emulator, client, modules, inventory, faults (both execution paths), then the Ansible ecosystem gates
# ci/make_test.sh: the other legs' virtual environments and ansible-test's own ones are pip work that ci/leg_venvs.sh
# starts niced in the background; the gates run niced beside the functional suite, so both cores stay busy; the
# secret-leak check comes last (ci/README.md, "Legs").
test:
	ci/make_test.sh

# The functional suite alone: both execution paths, then the secret-leak check. That check reads what every other
# test captured, so it runs alone, after both execution paths (its file name keeps the suite's own run from
# collecting it). ci/ensure_java.sh finds (or, as root, installs) the Java 17+ runtime of the ansible-rulebook test;
# -rs prints why any test was skipped.
test-functional: venv
	rm -rf tests/output/captured
	ci/ensure_java.sh
	$(MAKE) test-functional-main
	$(MAKE) test-functional-module
	$(MAKE) test-captured

test-captured: venv
	$(PY) -m pytest tests/functional/reliability/check_captured_output.py -q -p no:xdist

# The main leg: the whole suite, in the default execution path (in-process once plugins/action exists). worksteal: a
# worker that runs out of tests takes from the other's queue, so neither sits idle behind the other's long tail.
test-functional-main: venv
	$(PY) -m pytest tests/functional -n 2 --dist worksteal -q -rs $(PYTEST_ARGS)

# The module path: the tests that execute a module (marker runs_modules, tests/functional/selection.py) again with
# INSIGHT_TEST_EXECUTION=module. Without action plugins the module path is the only one and the main leg ran it.
test-functional-module: venv
	@if ls plugins/action/*.py >/dev/null 2>&1; then \
		echo "module path: the tests that execute a module, INSIGHT_TEST_EXECUTION=module"; \
		INSIGHT_TEST_EXECUTION=module $(PY) -m pytest tests/functional -m runs_modules -n 2 --dist worksteal -q -rs $(PYTEST_ARGS); \
	else \
		echo "module path: skipped, no plugins/action (every module ran in the module path in the main leg)"; \
	fi

test-gates: venv
	ci/gates.sh

## the other ansible-core legs' virtual environments (.venv-newest, .venv-floor), in the foreground
leg-venvs:
	ci/leg_venvs.sh start
	ci/leg_venvs.sh wait

## the emulator in the foreground with the demo data set (extra flags: make emulator ARGS='--port 0 --tls')
emulator: venv
	$(PY) -m insight_emulator --data demo $(ARGS)

## start the emulator, run the example playbooks against it, stop it
demo: venv
	ci/demo.sh

## benchmarks (not part of make test)
bench: venv
	$(PY) bench/run.py $(ARGS)

clean:
	rm -rf $(VENV) .build tests/output .pytest_cache
