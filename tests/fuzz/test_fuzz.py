"""Fuzz every loader with generated files, valid and broken (strategies.py, targets.py).

In ``make test`` each target runs a short smoke of fixed examples (derandomised, so the
same files every run). ``make fuzz`` runs them with a real budget: ``STANDBY_FUZZ_EXAMPLES``
examples per target, drawn afresh (see docs/errors.md for how long it ran and what it
found). A failure prints the file's bytes, to add to the catalogue as a case.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import strategies
import targets
from hypothesis import HealthCheck, given, settings

#: Examples per target: a smoke in `make test`, the budget in `make fuzz`.
EXAMPLES = int(os.environ.get("STANDBY_FUZZ_EXAMPLES", "15"))
FUZZING = "STANDBY_FUZZ_EXAMPLES" in os.environ

LOADERS: list[tuple[str, Any, targets.Target, str]] = [
    ("rota-csv", strategies.rota_csv(), targets.rota_csv, ".csv"),
    ("rota-xlsx-long", strategies.rota_xlsx_long(), targets.rota_xlsx, ".xlsx"),
    ("rota-xlsx-grid", strategies.rota_xlsx_grid(), targets.rota_xlsx_grid, ".xlsx"),
    ("rota-yaml", strategies.rota_yaml(), targets.rota_yaml, ".yaml"),
    ("rota-json", strategies.rota_json(), targets.rota_json, ".json"),
    ("rota-ics", strategies.rota_ics(), targets.rota_ics, ".ics"),
    ("requirements", strategies.requirements_yaml(), targets.requirements, ".yaml"),
    ("scenario", strategies.scenario_yaml(), targets.scenario, ".yaml"),
    ("weather", strategies.weather_csv(), targets.weather, ".csv"),
    ("msel-csv", strategies.msel_csv(), targets.msel, ".csv"),
    ("msel-xlsx", strategies.msel_xlsx(), targets.msel, ".xlsx"),
    ("log-csv", strategies.log_csv(), targets.exercise_log, ".csv"),
    ("log-json", strategies.log_json(), targets.exercise_log, ".json"),
    ("observations-csv", strategies.observations_csv(), targets.observations, ".csv"),
    ("observations-yaml", strategies.observations_yaml(), targets.observations, ".yaml"),
]


@pytest.mark.parametrize(
    ("strategy", "target", "suffix"),
    [pytest.param(strategy, target, suffix, id=name) for name, strategy, target, suffix in LOADERS],
)
def test_every_file_is_read_or_refused_with_a_message_naming_it(
    strategy: Any, target: targets.Target, suffix: str
) -> None:
    # The budget in rounds of at most ROUND examples: Hypothesis keeps every example's
    # choices for the length of a run, which for thousands of examples is gigabytes.
    for examples in _rounds(EXAMPLES):
        _fuzz(strategy, target, suffix, examples)


#: Examples in one Hypothesis run of ``make fuzz``.
ROUND = 250


def _rounds(total: int) -> list[int]:
    return [ROUND] * (total // ROUND) + ([total % ROUND] if total % ROUND else [])


def _fuzz(strategy: Any, target: targets.Target, suffix: str, examples: int) -> None:
    @settings(
        max_examples=examples,
        derandomize=not FUZZING,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )
    @given(data=strategy)
    def fuzz(data: bytes) -> None:
        targets.run(target, suffix, data)

    fuzz()
