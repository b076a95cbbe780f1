# Developer entry points. Only python3 and make are needed; everything else goes into .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := $(CURDIR)/tests
export PYTHONDONTWRITEBYTECODE := 1
ARGS ?=
PYTEST_ARGS ?=

.PHONY: venv test test-functional test-gates emulator demo bench clean

venv: $(STAMP)

$(STAMP): requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

## all tests: emulator, client, modules, inventory, faults, then the Ansible ecosystem gates
test: test-functional test-gates

# The secret-leak check reads what every other test captured, so it runs alone, after them (its file name keeps the
# suite's own run from collecting it). ci/ensure_java.sh finds (or, as root, installs) the Java 17+ runtime of the
# ansible-rulebook test; -rs prints why any test was skipped.
test-functional: venv
	rm -rf tests/output/captured
	ci/ensure_java.sh
	$(PY) -m pytest tests/functional -n 2 -q -rs $(PYTEST_ARGS)
	$(PY) -m pytest tests/functional/reliability/check_captured_output.py -q -p no:xdist

test-gates: venv
	ci/gates.sh

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
