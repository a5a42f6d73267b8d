# The README's two commands: `make run` and `make test`. Each sets up its own virtual environment.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint check-contract clean-db

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## run: migrate var/monitor.db, load the catalogue, load sample data when empty, then run the product
run: $(STAMP)
	$(BIN)/monitor run

## test: lint, type-check and the whole test suite (PostgreSQL tests skip when no server answers)
test: $(STAMP) lint
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: the suite is broken" >&2; exit 1; fi; exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check monitor dash_app tests alembic
	$(BIN)/mypy

## check-contract: the outside contract checks of ../shared/checks against a fresh sample database
check-contract: $(STAMP)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python ../shared/checks/contract.py catalogue

clean-db:
	rm -f var/monitor.db var/monitor.db-wal var/monitor.db-shm
