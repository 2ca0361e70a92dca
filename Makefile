# Standby: the two commands are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
BASE_STAMP := $(VENV)/.installed-base
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test lint bench golden holidays fuzz errors-doc clean

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

# Every loader fuzzed with FUZZ_EXAMPLES generated files each (`make test` runs a fixed
# smoke of each); docs/errors.md records the last real run.
FUZZ_EXAMPLES ?= 3000
fuzz: $(TEST_STAMP)
	STANDBY_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) MPLBACKEND=Agg $(PY) -m pytest -W error -q \
		--durations=0 tests/fuzz

# docs/errors.md from the bad-input catalogue (tests/bad_inputs/*.yaml).
errors-doc: $(TEST_STAMP)
	MPLBACKEND=Agg $(PY) tests/bad_inputs/make_docs.py

bench: $(TEST_STAMP)
	MPLBACKEND=Agg $(PY) benchmarks/run.py

golden: $(TEST_STAMP)
	STANDBY_UPDATE_GOLDEN=1 MPLBACKEND=Agg $(VENV)/bin/pytest -q -m "not slow" tests -k golden

# The bank-holiday table the rota check reads, from the installed `holidays` package.
holidays: $(TEST_STAMP)
	$(PY) -c "import sys; from standby.rota.clock import holiday_table_text; sys.stdout.write(holiday_table_text())" > rota/data/bank-holidays.csv

clean:
	rm -rf $(VENV) out build *.egg-info
