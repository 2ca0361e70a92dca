"""Golden file: the chlorine scenario, bundled rota, fixed start, seed 1, byte for byte.

Refresh on purpose only: ``make golden`` (sets ``STANDBY_UPDATE_GOLDEN=1``) rewrites the file.

Which NumPy. A run draws from PCG64 through ``Generator.random``, ``exponential``,
``triangular`` and ``lognormal``. NumPy keeps each bit generator's stream fixed, but its policy
(NEP 19) lets a ``Generator`` method's output change in a feature release, so the bytes are
only promised for the releases they were checked with: :data:`GOLDEN_NUMPY` (2.0.2, 2.1.3,
2.2.6, 2.3.5 and 2.4.6 give the same file; NumPy 1.x lacks ``np.trapezoid`` and cannot run the
hazard model). Outside that range a mismatch says so, since it may be NumPy's and not ours.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np

from standby.clock import parse_instant
from standby.rota.io import read_rota
from standby.scenarios import load_scenario
from standby.simulator.model import Prepared, prepare, run_once

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "chlorine-seed1.json"
ROTA = ROOT / "rota" / "data" / "council-2026.yaml"
START = "2026-11-12 02:10"
GOLDEN_NUMPY = ((2, 0), (2, 4))
"""The first and last NumPy feature releases (major, minor) the golden file was checked with."""


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


def _mismatch_message(numpy_version: str) -> str:
    major, minor = (int(part) for part in numpy_version.split(".")[:2])
    (first_major, first_minor), (last_major, last_minor) = GOLDEN_NUMPY
    checked = f"{first_major}.{first_minor} to {last_major}.{last_minor}"
    if GOLDEN_NUMPY[0] <= (major, minor) <= GOLDEN_NUMPY[1]:
        return (
            f"simulation output changed (NumPy {numpy_version} is one the golden file holds "
            f"for, {checked}); if on purpose, run `make golden` and review the diff"
        )
    return (
        f"simulation output differs, and NumPy {numpy_version} is outside the releases the "
        f"golden file was checked with ({checked}): its random streams may differ. Check the "
        "diff; if only the drawn numbers moved, widen GOLDEN_NUMPY and run `make golden`"
    )


def test_chlorine_seed1_matches_the_golden_file() -> None:
    text = _golden_json()
    if os.environ.get("STANDBY_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(text.encode("utf-8"))
    assert GOLDEN.read_bytes() == text.encode("utf-8"), _mismatch_message(np.__version__)


def test_a_mismatch_names_the_numpy_range_the_golden_file_holds_for() -> None:
    assert _mismatch_message("2.3.5").startswith("simulation output changed (NumPy 2.3.5 is one")
    outside = _mismatch_message("3.0.0")
    assert "NumPy 3.0.0 is outside the releases" in outside
    assert "(2.0 to 2.4)" in outside


def test_golden_run_is_identical_when_repeated() -> None:
    assert _golden_json() == _golden_json()
