"""One small exercise pack of the bundled chlorine scenario and rota, built once for the tests."""

from __future__ import annotations

import functools
from pathlib import Path

from standby.reports.document import Document
from standby.reports.exercise import ExercisePack, build_pack
from standby.reports.exercise_document import pack_document
from standby.rota.io import read_rota
from standby.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[2]
ROTA = ROOT / "rota" / "data" / "council-2026.yaml"
REQUIREMENTS = ROOT / "rota" / "data" / "council-2026-requirements.yaml"
SCENARIO_FILE = ROOT / "scenarios" / "library" / "chlorine-riverside.yaml"
RUNS = 20


@functools.cache
def chlorine_pack() -> ExercisePack:
    """The chlorine pack from the scenario's own start, 20 runs, seed 1, the bundled rota."""
    scenario = load_scenario("chlorine-riverside")
    rota = read_rota(ROTA, timezone=scenario.timezone)
    return build_pack(scenario, rota, rota_name=ROTA.name, runs=RUNS, seed=1)


@functools.cache
def chlorine_document() -> Document:
    """The chlorine pack laid out (its figures drawn once for every test)."""
    return pack_document(chlorine_pack())
