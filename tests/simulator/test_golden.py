"""Golden file: the chlorine scenario, bundled rota, fixed start, seed 1, byte for byte.

Refresh on purpose only: ``make golden`` (sets ``STANDBY_UPDATE_GOLDEN=1``) rewrites the file.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from standby.clock import parse_instant
from standby.rota.io import read_rota
from standby.scenarios import load_scenario
from standby.simulator.model import Prepared, prepare, run_once

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "chlorine-seed1.json"
ROTA = ROOT / "rota" / "data" / "council-2026.yaml"
START = "2026-11-12 02:10"


@functools.cache
def _prepared() -> Prepared:
    scenario = load_scenario("chlorine-riverside")
    rota = read_rota(ROTA, timezone=scenario.timezone)
    return prepare(scenario, rota, rota_name=ROTA.name)


def _golden_json() -> str:
    prepared = _prepared()
    start = parse_instant(START, prepared.compiled.timezone)
    return run_once(
        prepared.compiled, prepared.roster, start, 1, rota_name=prepared.rota_name
    ).to_json()


def test_chlorine_seed1_matches_the_golden_file() -> None:
    text = _golden_json()
    if os.environ.get("STANDBY_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(text.encode("utf-8"))
    assert GOLDEN.read_bytes() == text.encode("utf-8"), (
        "simulation output changed; if on purpose, run `make golden` and review the diff"
    )


def test_golden_run_is_identical_when_repeated() -> None:
    assert _golden_json() == _golden_json()
