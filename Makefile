# The README's two commands: `make run` and `make test`. Each sets up its own virtual environment.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench check-contract clean-db

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
	$(BIN)/ruff check monitor dash_app tests alembic bench scripts
	$(BIN)/mypy

## bench: the speed and accuracy scripts of bench/ at a size that runs in minutes (see each script's --help)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/import_bench.py --rows 200000
	$(BIN)/python bench/pace_bench.py --regions 300
	$(BIN)/python bench/board_bench.py --regions 300
	$(BIN)/python bench/refresh_bench.py --regions 30 --sizes 10
	$(BIN)/python bench/backtest.py
	$(BIN)/python bench/forecast_m3.py --limit 200
	$(BIN)/python bench/forecast_tourism.py --limit 100

## check-contract: the outside contract checks of ../shared/checks against a fresh sample database
check-contract: $(STAMP)
	rm -rf var/contract && mkdir -p var/contract
	export PATH=$(CURDIR)/$(BIN):$$PATH MONITOR_VAR_DIR=var/contract MONITOR_DATABASE_URL=sqlite:///var/contract/monitor.db; \
	monitor init >/dev/null && monitor demo >/dev/null && $(BIN)/python ../shared/checks/contract.py all

clean-db:
	rm -f var/monitor.db var/monitor.db-wal var/monitor.db-shm
