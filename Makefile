# Standby: the two commands are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
BASE_STAMP := $(VENV)/.installed-base
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test lint bench golden holidays clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(BASE_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(BASE_STAMP) $@

demo: $(BASE_STAMP)
	$(VENV)/bin/standby demo --out out --force

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# Every test, the slow ones (statistics, browser, wheel, benchmarks, README) included.
test: lint
	MPLBACKEND=Agg $(VENV)/bin/pytest -W error --strict-markers -q

bench: $(TEST_STAMP)
	MPLBACKEND=Agg $(PY) benchmarks/run.py

golden: $(TEST_STAMP)
	STANDBY_UPDATE_GOLDEN=1 MPLBACKEND=Agg $(VENV)/bin/pytest -q -m "not slow" tests -k golden

# The bank-holiday table the rota check reads, from the installed `holidays` package.
holidays: $(TEST_STAMP)
	$(PY) -c "import sys; from standby.rota.clock import holiday_table_text; sys.stdout.write(holiday_table_text())" > rota/data/bank-holidays.csv

clean:
	rm -rf $(VENV) out build *.egg-info
