# Developer entry points. Everything runs inside a local virtual environment (.venv),
# so a fresh clone needs nothing but Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLE ?= programme_examples/community-mentoring.yaml

.PHONY: demo test lint install clean

$(BIN)/cvecheck: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
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

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
