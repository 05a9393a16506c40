# Developer entry points. Everything runs inside a local virtual environment (.venv),
# so a fresh clone needs nothing but Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLE ?= programme_examples/online-counter-messaging.yaml

.PHONY: demo test test-fast lint install clean generated bench bench-tools

$(BIN)/cvecheck: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# An editable install leaves the sources uncompiled, and where PYTHONDONTWRITEBYTECODE is
	# set they never get compiled: every run would then compile them again (about 4x slower).
	$(BIN)/python -m compileall -q src
	touch $@

install: $(BIN)/cvecheck

# Runs the checker on a shipped example. Exit code 1 means "gaps found", which is the
# expected result of a demo, so only an input or usage error (2) fails this target.
demo: install
	@$(BIN)/cvecheck check $(EXAMPLE); status=$$?; [ $$status -le 1 ]

lint: install
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)
	$(BIN)/mypy --strict src

# The whole suite, as CI runs it (.ci/run).
test: lint
	$(BIN)/pytest

# The fast suite for the edit-test loop: everything but the tests marked slow (real consumers
# such as pre-commit, Chromium and the SARIF Multitool, the fuzzing, the wheel build).
test-fast: install
	$(BIN)/pytest -m "not slow"

# Peer tools for the benchmark: check-jsonschema and yamllint from PyPI, Spectral from npm
# (under bench/.npm, which git ignores).
bench-tools: install
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	npm install --silent --no-audit --no-fund --prefix bench/.npm @stoplight/spectral-cli@6

# Figures and ratios, measured side by side; see docs/performance.md.
bench: bench-tools
	$(BIN)/python -m compileall -q src
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

# Rewrites every generated file (docs/rules.md, docs/programme.schema.json, the template,
# the example reports, the guides' real output); tests fail when one is stale. Read the diff
# before committing it.
generated: install
	$(BIN)/python scripts/generate.py
